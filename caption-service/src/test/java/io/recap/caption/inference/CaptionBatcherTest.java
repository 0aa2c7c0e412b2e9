package io.recap.caption.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.caption.TestCaptioners;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.model.ModelStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Batches fill up to the demand recent batches showed, instead of fragmenting. */
class CaptionBatcherTest {

    @TempDir
    Path store;

    @Test
    void requestsThatComeBackLateStillJoinTheBatchRecentDemandPredicts() throws Exception {
        TestCaptioners.publishAndPromote(store, "v1");
        CaptionServiceProperties properties = new CaptionServiceProperties(store, "", Duration.ofSeconds(10), 32,
                Duration.ofMillis(5), Duration.ofSeconds(3), 64, Duration.ofSeconds(30), 8, DataSize.ofMegabytes(1),
                1 << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CaptionerHolder holder = new CaptionerHolder(new ModelStore(store), properties);
        holder.refresh();
        CaptionBatcher batcher = new CaptionBatcher(holder, properties, meters);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(TestCaptioners.samplePng()));
        batcher.start();
        try {
            // Eight requests at once form one batch of eight: the demand to expect from now on.
            awaitAll(submit(batcher, image, 8));
            Thread.sleep(50); // the worker has recorded its pass; pretend it took 4 s (a slow CPU)
            batcher.rememberPass(Duration.ofSeconds(4).toNanos());
            // Four come back, the other four 100 ms later (far beyond the 5 ms batch delay, within
            // a quarter of a pass): still one batch of eight.
            List<CompletableFuture<CaptionBatcher.Caption>> late = new ArrayList<>(submit(batcher, image, 4));
            Thread.sleep(100);
            late.addAll(submit(batcher, image, 4));
            awaitAll(late);
        } finally {
            batcher.stop();
            holder.close();
        }
        DistributionSummary sizes = meters.get("recap.caption.batch.size").summary();
        assertThat(sizes.count()).isEqualTo(2);
        assertThat(sizes.totalAmount()).isEqualTo(16);
        assertThat(batcher.expectedBatchSize()).isEqualTo(8);
    }

    @Test
    void demandIsTheLargestRecentBatchAndFadesAfterTheWindowAndTheWaitFollowsThePassTime() throws Exception {
        TestCaptioners.publishAndPromote(store, "v1");
        CaptionServiceProperties properties = new CaptionServiceProperties(store, "", Duration.ofSeconds(10), 32,
                Duration.ofMillis(5), Duration.ofMillis(50), 64, Duration.ofSeconds(30), 8, DataSize.ofMegabytes(1),
                1 << 20);
        CaptionBatcher batcher = new CaptionBatcher(new CaptionerHolder(new ModelStore(store), properties), properties,
                new SimpleMeterRegistry());
        assertThat(batcher.expectedBatchSize()).isEqualTo(1);
        batcher.rememberBatchSize(64);
        assertThat(batcher.expectedBatchSize()).isEqualTo(32); // never beyond the largest batch
        for (int i = 0; i < CaptionBatcher.DEMAND_WINDOW - 1; i++) {
            batcher.rememberBatchSize(3);
            assertThat(batcher.expectedBatchSize()).isEqualTo(32);
        }
        batcher.rememberBatchSize(1);
        assertThat(batcher.expectedBatchSize()).isEqualTo(3);

        // The wait for company: a quarter of the last pass, within [maxBatchDelay, maxFillWait].
        assertThat(batcher.fillWaitNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
        batcher.rememberPass(Duration.ofMillis(100).toNanos());
        assertThat(batcher.fillWaitNanos()).isEqualTo(Duration.ofMillis(25).toNanos());
        batcher.rememberPass(Duration.ofSeconds(4).toNanos());
        assertThat(batcher.fillWaitNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
    }

    private static List<CompletableFuture<CaptionBatcher.Caption>> submit(CaptionBatcher batcher, BufferedImage image,
            int count) {
        List<CompletableFuture<CaptionBatcher.Caption>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(batcher.submit(image, "short", 1));
        }
        return futures;
    }

    private static void awaitAll(List<CompletableFuture<CaptionBatcher.Caption>> futures) throws Exception {
        for (CompletableFuture<CaptionBatcher.Caption> future : futures) {
            assertThat(future.get(30, TimeUnit.SECONDS).text()).isNotNull();
        }
    }
}
