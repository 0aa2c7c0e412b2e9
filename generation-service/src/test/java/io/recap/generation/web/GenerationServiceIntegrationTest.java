package io.recap.generation.web;

import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.ReadyServiceTest;
import io.recap.testsupport.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The generation service on a random port over a small untrained model: the contract, not image quality, is under
 * test. Every subclass shares one application context: Spring caches contexts by their configuration, and a
 * {@code @DynamicPropertySource} method counts by identity, so it has to be this one inherited method.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "recap.generation.max-waiting=1")
abstract class GenerationServiceIntegrationTest extends ReadyServiceTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws Exception {
        Path root = Files.createTempDirectory("generation-store");
        new ModelStore(root).promote(TinyModels.textToImage(root, ModelRef.textToImage("test-t2i", "v1"),
                List.of("a red circle at the top left", "two blue squares"), 3));
        registry.add("recap.generation.model-store", root::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }
}
