package io.recap.generation.web;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.text.Vocabulary;
import io.recap.service.security.TestApiKeys;
import io.recap.service.web.TestRequests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The generation service on a random port over a small untrained model: the contract, not image quality, is under
 * test. Every subclass shares one application context: Spring caches contexts by their configuration, and a
 * {@code @DynamicPropertySource} method counts by identity, so it has to be this one inherited method.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "recap.generation.max-waiting=1")
abstract class GenerationServiceIntegrationTest {

    @LocalServerPort
    int port;

    /** Actuator's own port: the service's only serves the API. */
    @LocalManagementPort
    int managementPort;

    @BeforeEach
    void awaitReady() {
        TestRequests.awaitReady(managementPort);
    }

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws Exception {
        Path root = Files.createTempDirectory("generation-store");
        ModelStore store = new ModelStore(root);
        ModelRef ref = ModelRef.textToImage("test-t2i", "v1");
        Vocabulary vocabulary = Vocabulary.build(List.of("a red circle at the top left", "two blue squares"), List.of(), 1);
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), vocabulary, 3)) {
            store.publish(new ModelManifest(ModelKind.TEXT_TO_IMAGE, ref.name(), ref.version(), "test", Map.of(),
                    ModelManifest.Lineage.NONE, Map.of(), Instant.now()), model::save);
        }
        store.promote(ref);
        registry.add("recap.generation.model-store", root::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }
}
