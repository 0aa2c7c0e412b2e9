package io.recap.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

    private final ImageDecoder decoder = new ImageDecoder();

    @Test
    void decodesRunningAtOnceNeverHoldMoreThanTheBudgetAndEachGetsItsShrunkImage() throws Exception {
        byte[] png = png(512);
        long onePicture = 512L * 512 * DecodeBudget.BYTES_PER_PIXEL;
        DecodeBudget budget = new DecodeBudget(2 * onePicture, Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DecodedImage>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> budget.decode(decoder, png, image -> shrink(image, 16))));
            }
            for (Future<DecodedImage> result : results) {
                DecodedImage image = result.get(60, TimeUnit.SECONDS);
                assertThat(image.image().getWidth()).isEqualTo(16);
                assertThat(image.width()).as("the encoded image's size").isEqualTo(512);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.peak()).isPositive().isLessThanOrEqualTo(budget.capacity());
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aDecodeThatFindsNoRoomWithinItsWaitIsRefusedAndTakesNothing() throws Exception {
        byte[] png = png(256);
        DecodeBudget budget = new DecodeBudget(256L * 256 * DecodeBudget.BYTES_PER_PIXEL, Duration.ofMillis(200));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> budget.decode(decoder, png, image -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return image;
        }));
        holder.start();
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> budget.decode(decoder, png, image -> image))
                .isInstanceOf(DecodeBudgetExhaustedException.class).hasMessageContaining("256x256");

        release.countDown();
        holder.join(10_000);
        assertThat(budget.inUse()).isZero();
        assertThat(budget.decode(decoder, png, image -> image).image().getWidth()).isEqualTo(256);
    }

    @Test
    void anInvalidImageIsRefusedBeforeItWaitsForAnything() {
        DecodeBudget budget = new DecodeBudget(1, Duration.ofHours(1));

        assertThatThrownBy(() -> budget.decode(decoder, new byte[] {1, 2, 3}, image -> image))
                .isInstanceOf(ImageValidationException.class);
        assertThat(budget.peak()).isZero();
    }

    private static BufferedImage shrink(BufferedImage image, int side) {
        BufferedImage small = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        small.createGraphics().drawImage(image, 0, 0, side, side, null);
        return small;
    }

    private static byte[] png(int side) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        image.createGraphics().fillRect(side / 4, side / 4, side / 2, side / 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
