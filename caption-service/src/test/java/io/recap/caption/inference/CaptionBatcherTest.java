package io.recap.caption.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.caption.TestCaptioners;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.captioner.GeneratedCaption;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Batches are decoded in slices at once, each request answered with its own caption (the batching itself: DynamicBatcherTest in recap-core). */
class CaptionBatcherTest {

    @TempDir
    Path store;

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
        List<String> alone = holder.withModel((ref, model) -> model.caption(images, "short",
                DecodingOptions.greedy()).stream().map(GeneratedCaption::text).toList());
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
}
