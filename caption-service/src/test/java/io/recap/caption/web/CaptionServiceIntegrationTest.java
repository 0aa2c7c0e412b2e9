package io.recap.caption.web;

import io.recap.caption.TestCaptioners;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.ReadyServiceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The caption service on a random port over a small untrained captioner. Every subclass shares one application
 * context: Spring caches contexts by their configuration, and a {@code @DynamicPropertySource} method counts by
 * identity, so it has to be this one inherited method rather than a copy in each class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class CaptionServiceIntegrationTest extends ReadyServiceTest {

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws Exception {
        Path store = Files.createTempDirectory("caption-store");
        TestCaptioners.publishAndPromote(store, "v1");
        registry.add("recap.caption.model-store", store::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
        // Room for one 4096x4096 image being decoded at a time (8 bytes a pixel: 128 MiB), not two.
        registry.add("recap.caption.decode-budget", () -> "160MB");
    }
}
