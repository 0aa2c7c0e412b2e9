package io.recap.caption.bench;

import static io.recap.service.bench.ServingBenchmarks.copyShippedModel;
import static io.recap.service.bench.ServingBenchmarks.median;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.caption.inference.CaptionBatcher;
import io.recap.caption.inference.CaptionerHolder;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.DecodingOptions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * The caption-service's inference layer ({@link CaptionBatcher}, its defaults: two workers, batch delay, fill wait,
 * no wait for a request alone) against offline captioning with the same model in the same JVM, at concurrency 1
 * (one client that asks again as soon as it has its caption, against captioning one image at a time) and 32 (32
 * such clients, against batches of 32 decoded in two single-threaded slices at once, as the service decodes them).
 * The shipped captioner base, SHORT style, beam 1; images already at the captioner's input size, as the request
 * handler hands them to the batcher. Interleaved rounds, the order alternating, each ratio taken within its round.
 * HTTP, base64 and PNG decoding are not part of it ({@code CaptionLoadClient} measures those against a running
 * service). Skipped unless {@code -Drecap.bench=true}:
 *
 * <pre>
 * mvn -o -B -q package -pl caption-service -am -Dai.djl.offline=true -Drecap.bench=true \
 *     -Dtest=CaptionBatchingBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Drecap.bench.rounds=5]
 * </pre>
 */
@EnabledIfSystemProperty(named = "recap.bench", matches = "true")
class CaptionBatchingBenchmark {

    private static final String MODEL = "captioner/shapes-captioner-base/v1";
    private static final String STYLE = "short";
    private static final int WORKERS = 2;
    private static final int BATCH = 32;

    @Test
    void servedAgainstOfflineAtConcurrencyOneAndThirtyTwo(@TempDir Path store) throws Exception {
        copyShippedModel(MODEL, store);
        int rounds = Integer.getInteger("recap.bench.rounds", 5);
        double seconds = Double.parseDouble(System.getProperty("recap.bench.seconds", "10"));
        CaptionServiceProperties properties = new CaptionServiceProperties(store, MODEL, Duration.ofHours(1), BATCH,
                Duration.ofMillis(5), Duration.ofMillis(250), WORKERS, 256, Duration.ofSeconds(30), 8,
                DataSize.ofMegabytes(16), 1 << 24, DataSize.ofMegabytes(512), Duration.ofSeconds(2));
        CaptionerHolder holder = new CaptionerHolder(new ModelStore(store), properties);
        holder.refresh();
        CaptionBatcher batcher = new CaptionBatcher(holder, properties, new SimpleMeterRegistry());
        batcher.start();
        ExecutorService clients = Executors.newFixedThreadPool(BATCH);
        ExecutorService slices = Executors.newFixedThreadPool(WORKERS - 1);
        List<BufferedImage> images = images(holder.inputSize(), 64);
        try {
            // Warm-up: the JIT settles only after minutes of load on this machine.
            double warmup = Double.parseDouble(System.getProperty("recap.bench.warmup", "60"));
            served(batcher, clients, images, BATCH, warmup);
            served(batcher, clients, images, 1, warmup / 4);
            holder.withModel((ref, model) -> offline(model, slices, images, BATCH, warmup / 4)
                    + offline(model, slices, images, 1, warmup / 4));

            System.out.printf(Locale.ROOT, "%5s %14s %14s %9s %15s %15s %9s%n", "round", "offline b1", "served c1",
                    "c1 ratio", "offline b32", "served c32", "c32 ratio");
            double[] c1Ratios = new double[rounds];
            double[] c32Ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                double[] rates = new double[4];
                for (int part = 0; part < 4; part++) {
                    int which = round % 2 == 0 ? part : 3 - part;
                    int concurrency = which < 2 ? 1 : BATCH;
                    rates[which] = which % 2 == 0
                            ? holder.withModel((ref, model) -> offline(model, slices, images, concurrency, seconds))
                            : served(batcher, clients, images, concurrency, seconds);
                }
                c1Ratios[round] = rates[1] / rates[0];
                c32Ratios[round] = rates[3] / rates[2];
                System.out.printf(Locale.ROOT, "%5d %14.1f %14.1f %9.3f %15.1f %15.1f %9.3f%n", round + 1, rates[0],
                        rates[1], c1Ratios[round], rates[2], rates[3], c32Ratios[round]);
            }
            System.out.printf(Locale.ROOT, "median c1_ratio %.3f, c32_ratio %.3f over %d rounds of %.0f s (images/s,"
                    + " served / offline)%n", median(c1Ratios), median(c32Ratios), rounds, seconds);
        } finally {
            clients.shutdownNow();
            slices.shutdownNow();
            batcher.stop();
            holder.close();
        }
    }

    /** Images/s of {@code concurrency} closed-loop clients of the batcher for about {@code seconds}. */
    private static double served(CaptionBatcher batcher, ExecutorService clients, List<BufferedImage> images,
            int concurrency, double seconds) {
        AtomicInteger done = new AtomicInteger();
        long begin = System.nanoTime();
        long end = begin + (long) (seconds * 1e9);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            running.add(CompletableFuture.runAsync(() -> {
                for (int i = client; System.nanoTime() < end; i += concurrency) {
                    batcher.submit(images.get(i % images.size()), STYLE, 1).join();
                    done.incrementAndGet();
                }
            }, clients));
        }
        running.forEach(CompletableFuture::join);
        return done.get() / ((System.nanoTime() - begin) / 1e9);
    }

    /** Images/s captioning batches of {@code batch} in as many single-threaded slices as the service would. */
    private static double offline(Captioner model, ExecutorService slices, List<BufferedImage> images, int batch,
            double seconds) {
        int sliceCount = CaptionBatcher.sliceCount(batch, WORKERS);
        int done = 0;
        long begin = System.nanoTime();
        do {
            int from = done % images.size();
            List<BufferedImage> chunk = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                chunk.add(images.get((from + i) % images.size()));
            }
            model.captionInSlices(chunk, STYLE, DecodingOptions.beam(1), sliceCount, slices, (start, captions) -> { });
            done += batch;
        } while (System.nanoTime() - begin < seconds * 1e9);
        return done / ((System.nanoTime() - begin) / 1e9);
    }

    /** Distinct scenes of a few coloured shapes, at the captioner's input size. */
    private static List<BufferedImage> images(int size, int count) {
        Random random = new Random(22);
        Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.YELLOW, Color.MAGENTA, Color.ORANGE};
        List<BufferedImage> images = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            for (int shape = 0; shape <= random.nextInt(4); shape++) {
                g.setColor(colours[random.nextInt(colours.length)]);
                int s = size / 4 + random.nextInt(size / 4);
                int x = random.nextInt(size - s);
                int y = random.nextInt(size - s);
                if (random.nextBoolean()) {
                    g.fillOval(x, y, s, s);
                } else {
                    g.fillRect(x, y, s, s);
                }
            }
            g.dispose();
            images.add(image);
        }
        return images;
    }
}
