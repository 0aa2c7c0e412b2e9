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
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Batches fill up to the demand recent batches showed, instead of fragmenting, and are decoded in slices at once. */
class CaptionBatcherTest {

    @TempDir
    Path store;

    @Test
    void requestsThatComeBackLateStillJoinTheBatchRecentDemandPredicts() throws Exception {
        CaptionServiceProperties properties = properties(32, Duration.ofSeconds(3), 1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CaptionerHolder holder = loadedCaptioner(properties);
        CaptionBatcher batcher = new CaptionBatcher(holder, properties, meters);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(TestCaptioners.samplePng()));
        batcher.start();
        try {
            // Eight requests at once form one batch of eight: the demand to expect from now on.
            awaitAll(submit(batcher, image, 8));
            Thread.sleep(50); // the worker has recorded its pass; pretend it took 4 s (a slow CPU)
            batcher.demand().rememberPass(Duration.ofSeconds(4).toNanos());
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
        assertThat(batcher.demand().expectedBatchSize()).isEqualTo(8);
    }

    @Test
    void demandIsTheLargestRecentBatchAndFadesAfterTheWindowAndTheWaitFollowsThePassTime() {
        BatchDemand demand = new BatchDemand(32, Duration.ofMillis(5).toNanos(), Duration.ofMillis(50).toNanos());
        assertThat(demand.expectedBatchSize()).isEqualTo(1);
        demand.rememberBatchSize(64);
        assertThat(demand.expectedBatchSize()).isEqualTo(32); // never beyond the largest batch
        for (int i = 0; i < BatchDemand.WINDOW - 1; i++) {
            demand.rememberBatchSize(3);
            assertThat(demand.expectedBatchSize()).isEqualTo(32);
        }
        demand.rememberBatchSize(1);
        assertThat(demand.expectedBatchSize()).isEqualTo(3);

        // The wait for company: a quarter of the last pass, within [maxBatchDelay, maxFillWait].
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(5).toNanos());
        demand.rememberPass(Duration.ofMillis(100).toNanos());
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(25).toNanos());
        demand.rememberPass(Duration.ofSeconds(4).toNanos());
        assertThat(demand.fillWaitNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void batchesDecodedInSlicesAnswerEveryRequestWithTheCaptionOfItsOwnImage() throws Exception {
        CaptionServiceProperties properties = properties(32, Duration.ofMillis(50), 3);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CaptionerHolder holder = loadedCaptioner(properties);
        List<BufferedImage> images = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 24; i++) {
            images.add(noise(random));
        }
        List<String> alone = holder.withModel((ref, model) -> model.greedy(images, "short"));
        assertThat(new HashSet<>(alone)).as("distinct images get distinct captions").hasSizeGreaterThan(1);
        CaptionBatcher batcher = new CaptionBatcher(holder, properties, meters);
        batcher.start();
        try {
            for (int round = 0; round < 5; round++) {
                List<CompletableFuture<CaptionBatcher.Caption>> futures = new ArrayList<>();
                images.forEach(image -> futures.add(batcher.submit(image, "short", 1)));
                for (int i = 0; i < images.size(); i++) {
                    assertThat(futures.get(i).get(30, TimeUnit.SECONDS).text()).as("image %d", i).isEqualTo(alone.get(i));
                }
            }
        } finally {
            batcher.stop();
            holder.close();
        }
        assertThat(meters.get("recap.caption.batch.size").summary().totalAmount()).isEqualTo(5 * 24);
    }

    @Test
    void aBatchIsCutIntoOneSlicePerWorkerButNoSliceUnderTheMinimum() {
        assertThat(CaptionBatcher.sliceCount(32, 2)).isEqualTo(2);
        assertThat(CaptionBatcher.sliceCount(32, 16)).isEqualTo(32 / CaptionBatcher.MIN_SLICE);
        assertThat(CaptionBatcher.sliceCount(7, 2)).isEqualTo(1);
        assertThat(CaptionBatcher.sliceCount(1, 4)).isEqualTo(1);
        assertThat(CaptionBatcher.sliceCount(32, 1)).isEqualTo(1);
    }

    /** An untrained captioner published, promoted and loaded. */
    private CaptionerHolder loadedCaptioner(CaptionServiceProperties properties) throws Exception {
        TestCaptioners.publishAndPromote(store, "v1");
        CaptionerHolder holder = new CaptionerHolder(new ModelStore(store), properties);
        holder.refresh();
        return holder;
    }

    private CaptionServiceProperties properties(int maxBatchSize, Duration maxFillWait, int workers) {
        return new CaptionServiceProperties(store, "", Duration.ofSeconds(10), maxBatchSize, Duration.ofMillis(5),
                maxFillWait,
                workers, 64, Duration.ofSeconds(30), 8, DataSize.ofMegabytes(1), 1 << 20, DataSize.ofMegabytes(64),
                Duration.ofSeconds(2));
    }

    private static BufferedImage noise(Random random) {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
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
