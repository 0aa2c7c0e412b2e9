package io.recap.service.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's own routes and the role each needs, as a bean; the shared chain applies them after the management
 * endpoints and before its defaults (reads need {@code viewer}, anything else {@code admin}), so a route a service
 * forgets to name is closed to all but admins rather than open.
 */
@FunctionalInterface
public interface EndpointRules {

    void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);
}
