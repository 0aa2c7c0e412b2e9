package io.recap.generation.config;

import io.recap.core.model.ModelStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(GenerationServiceProperties.class)
class GenerationServiceConfiguration {

    @Bean
    ModelStore modelStore(GenerationServiceProperties properties) {
        return new ModelStore(properties.modelStore());
    }
}
