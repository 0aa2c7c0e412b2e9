package io.recap.caption.config;

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
@EnableConfigurationProperties(CaptionServiceProperties.class)
class CaptionServiceConfiguration {

    @Bean
    ModelStore modelStore(CaptionServiceProperties properties) {
        return new ModelStore(properties.modelStore());
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(CaptionServiceProperties properties) {
        // Base64 inflates by 4/3; leave room for the JSON around it.
        return new BodySizeLimitFilter(properties.maxImageBytes().toBytes() * 4 / 3 + 64 * 1024);
    }

    /** Captioning is for users; everything else here reads (viewer) or is actuator's (admin). */
    @Bean
    EndpointRules captionEndpointRules() {
        return requests -> requests.requestMatchers(HttpMethod.POST, "/caption").hasRole(Role.USER.name());
    }
}
