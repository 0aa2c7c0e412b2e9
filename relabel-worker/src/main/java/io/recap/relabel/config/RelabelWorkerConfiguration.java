package io.recap.relabel.config;

import io.recap.core.image.DecodeBudget;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageLimits;
import io.recap.core.model.ModelStore;
import io.recap.core.store.AllowedRoots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RelabelWorkerProperties.class)
class RelabelWorkerConfiguration {

    @Bean
    ModelStore modelStore(RelabelWorkerProperties properties) {
        return new ModelStore(properties.modelStore());
    }

    @Bean
    AllowedRoots allowedRoots(RelabelWorkerProperties properties) {
        try {
            for (Path root : properties.allowedRoots()) {
                Files.createDirectories(root);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an allowed image root", e);
        }
        return new AllowedRoots(properties.allowedRoots());
    }

    /** One budget for every consumer thread: a worker's decoded pixels are bounded whatever its concurrency. */
    @Bean
    DecodeBudget decodeBudget(RelabelWorkerProperties properties) {
        return new DecodeBudget(properties.decodeBudget().toBytes(), properties.decodeWait());
    }

    @Bean
    ImageDecoder imageDecoder(RelabelWorkerProperties properties) {
        return new ImageDecoder(new ImageLimits(properties.maxImageBytes().toBytes(), properties.maxImagePixels()));
    }
}
