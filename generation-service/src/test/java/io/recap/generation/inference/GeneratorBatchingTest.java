package io.recap.generation.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent requests share sampling batches, and a request's images do not depend on its company. */
class GeneratorBatchingTest {

    @Test
    void eightConcurrentRequestsAreSampledInFewerBatchesAndEachGetsTheImagesItGetsAlone(@TempDir Path root)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ExecutorService clients = Executors.newFixedThreadPool(9);
        try (TestGenerators.Running running = TestGenerators.start(root, meters, Duration.ofSeconds(120), 16,
                Duration.ofSeconds(1))) {
            Generator generator = running.generator();
            // Something else samples first (other steps: a batch of its own), so the eight queue behind it.
            CompletableFuture<Generator.Generated> before = CompletableFuture.supplyAsync(
                    () -> generator.generate(new GenerationRequest("a red circle", 99, 30, 3f, 8)), clients);
            CountDownLatch ready = new CountDownLatch(8);
            List<GenerationRequest> requests = new ArrayList<>();
            List<CompletableFuture<Generator.Generated>> batched = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                GenerationRequest request = new GenerationRequest(i % 2 == 0 ? "a red circle" : "two blue squares",
                        1000 + i, 6, 3f, 1);
                requests.add(request);
                batched.add(CompletableFuture.supplyAsync(() -> {
                    ready.countDown();
                    return generator.generate(request);
                }, clients));
            }
            assertThat(before.get(2, TimeUnit.MINUTES).images()).hasSize(8);
            for (CompletableFuture<Generator.Generated> result : batched) {
                assertThat(result.get(2, TimeUnit.MINUTES).images()).hasSize(1);
            }
            DistributionSummary requestsPerBatch = meters.get("recap.generation.batch.requests").summary();
            long batchesForTheEight = requestsPerBatch.count() - 1;
            assertThat(batchesForTheEight).isLessThan(8);
            assertThat(requestsPerBatch.max()).isGreaterThan(1);

            // Each alone now (the batcher is idle: no wait, a batch of one): the same image. Within one level of
            // 255, as a batch of another size can take another kernel path (one channel of one pixel differed by
            // 1 here); the noise, the prompt and so the picture are the request's own.
            for (int i = 0; i < 8; i++) {
                Generator.Generated alone = generator.generate(requests.get(i));
                assertThat(maxChannelDifference(batched.get(i).get().images().get(0), alone.images().get(0)))
                        .as("request %d", i).isLessThanOrEqualTo(1);
            }
            assertThat(requestsPerBatch.count()).isEqualTo(1 + batchesForTheEight + 8);
            // Different seeds, different images: each request kept its own noise in the batch.
            assertThat(pixels(batched.get(0).get().images().get(0)))
                    .isNotEqualTo(pixels(batched.get(2).get().images().get(0)));
        } finally {
            clients.shutdownNow();
        }
    }

    private static int maxChannelDifference(BufferedImage a, BufferedImage b) {
        int[] pa = pixels(a);
        int[] pb = pixels(b);
        int max = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift < 24; shift += 8) {
                max = Math.max(max, Math.abs((pa[i] >> shift & 0xff) - (pb[i] >> shift & 0xff)));
            }
        }
        return max;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
