package io.recap.service.security;

import io.recap.core.security.ApiKeys;
import io.recap.core.security.Role;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Authentication and roles for every RECAP web service. Callers present an API key ({@link ApiKeys}, for the local
 * mode and for machines) or a JWT from an OAuth2 issuer (deployments: {@code
 * spring.security.oauth2.resourceserver.jwt.issuer-uri}, {@code jwk-set-uri} or {@code public-key-location}, roles
 * from {@code recap.security.roles-claim}). Liveness and readiness are open so that probes need no secret; every
 * other management endpoint needs {@code admin}; reads need {@code viewer}; each service names the rest
 * ({@link EndpointRules}); whatever is left needs {@code admin}. No sessions and no cookies: a credential travels in
 * a header on every request, which a cross-site page cannot make a browser send, so there is no CSRF to defend.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(RecapSecurityProperties.class)
public class RecapSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RecapSecurityAutoConfiguration.class);

    @Bean
    ApiKeyStore recapApiKeyStore(RecapSecurityProperties properties) {
        return ApiKeyStore.from(properties);
    }

    @Bean
    static RoleHierarchy recapRoleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy(Role.hierarchy());
    }

    /** Found by Spring Security's filter chain proxy by type: requests its firewall rejects, as problem+json. */
    @Bean
    RequestRejectedHandler recapRequestRejectedHandler() {
        return new ProblemSecurityHandlers();
    }

    @Bean
    SecurityFilterChain recapSecurityFilterChain(HttpSecurity http, RecapSecurityProperties properties,
            ApiKeyStore keys, ObjectProvider<JwtDecoder> jwtDecoder, List<EndpointRules> rules) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        if (!properties.enabled()) {
            log.warn("recap.security.enabled=false: every endpoint of this service is open to anyone who can reach it");
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        boolean jwt = jwtDecoder.getIfAvailable() != null;
        if (!keys.configured() && !jwt) {
            throw new IllegalStateException("no credentials configured: set recap.security.api-keys-file (or "
                    + "RECAP_SECURITY_APIKEYS), or spring.security.oauth2.resourceserver.jwt.issuer-uri; "
                    + "or recap.security.enabled=false for a service nobody else can reach (docs/security.md)");
        }
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers();
        http.exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), AnonymousAuthenticationFilter.class)
                .addFilterBefore(new AuditLogFilter(), ExceptionTranslationFilter.class);
        if (properties.rateLimit().perSecond() > 0) {
            http.addFilterAfter(new RateLimitFilter(properties.rateLimit().perSecond(), properties.rateLimit().burst()),
                    AuditLogFilter.class);
        }
        if (jwt) {
            DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
            http.oauth2ResourceServer(server -> server
                    .bearerTokenResolver(request -> {
                        String token = bearer.resolve(request);
                        // API keys travel as bearer tokens too; the API key filter has them.
                        return token == null || token.startsWith(ApiKeys.PREFIX) ? null : token;
                    })
                    .authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(decoder -> decoder.jwtAuthenticationConverter(new JwtRolesConverter(properties.rolesClaim()))));
        }
        log.info("authentication: {}{}; roles viewer < user < operator < admin", keys.configured() ? "API keys" : "",
                jwt ? (keys.configured() ? " and " : "") + "JWT (roles from claim '" + properties.rolesClaim() + "')" : "");
        return http.authorizeHttpRequests(requests -> {
            requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
            requests.requestMatchers(HttpMethod.GET, "/actuator/health/liveness", "/actuator/health/readiness")
                    .permitAll();
            requests.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.ADMIN.name());
            rules.forEach(rule -> rule.apply(requests));
            requests.requestMatchers(HttpMethod.GET).hasRole(Role.VIEWER.name());
            requests.requestMatchers(HttpMethod.HEAD).hasRole(Role.VIEWER.name());
            requests.anyRequest().hasRole(Role.ADMIN.name());
        }).build();
    }
}
