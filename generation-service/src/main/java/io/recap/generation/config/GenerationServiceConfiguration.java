package io.recap.generation.config;

import io.recap.core.model.ModelStore;
import io.recap.service.security.EndpointRules;
import io.recap.core.security.Role;
import io.recap.service.web.BodySizeLimitFilter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(GenerationServiceProperties.class)
class GenerationServiceConfiguration {

    @Bean
    ModelStore modelStore(GenerationServiceProperties properties) {
        return new ModelStore(properties.modelStore());
    }

    /** A generation request is a prompt and a few numbers: anything near this size is not one. */
    @Bean
    BodySizeLimitFilter bodySizeLimitFilter() {
        return new BodySizeLimitFilter(MAX_REQUEST_BYTES);
    }

    static final long MAX_REQUEST_BYTES = 64 * 1024;

    /** Generating is for users; everything else here reads (viewer) or is actuator's (admin). */
    @Bean
    EndpointRules generationEndpointRules() {
        return requests -> requests.requestMatchers(HttpMethod.POST, "/generate").hasRole(Role.USER.name());
    }
}
