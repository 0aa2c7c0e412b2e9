package io.recap.generation.bench;

import static io.recap.service.bench.ServingBenchmarks.copyShippedModel;
import static io.recap.service.bench.ServingBenchmarks.median;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.core.model.ModelStore;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.generation.inference.GenerationRequest;
import io.recap.generation.inference.Generator;
import io.recap.generation.inference.TextToImageHolder;
import io.recap.ml.diffusion.SamplingOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching across requests against one request for many images, and a lone request's latency against the path
 * before batching, in one JVM over the generation-service's inference layer ({@link Generator}) and the shipped
 * text-to-image base, in interleaved rounds (the machine's speed drifts, so each ratio is taken within a round and
 * the median round is the result). Per round:
 *
 * <ul>
 *   <li><b>count 8</b>: one request for 8 images, images/s;</li>
 *   <li><b>c8</b>: 8 clients, each asking for one image and asking again as soon as it has it
 *       ({@code recap.bench.perClient} times: enough that the phase's first request, which finds the batcher idle
 *       and goes alone, weighs little), images/s;</li>
 *   <li><b>c1</b>: one request for one image at a time, latency, through the {@link Generator} and through the path
 *       every request took before batching (a long-lived sampler thread calling
 *       {@code DiffusionModel.sample(List.of(prompt), options)}), alternating.</li>
 * </ul>
 *
 * Skipped unless {@code -Drecap.bench=true}:
 *
 * <pre>
 * mvn -o -B -q package -pl generation-service -am -Dai.djl.offline=true -Drecap.bench=true \
 *     -Dtest=GenerationBatchingBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Drecap.bench.rounds=5]
 * </pre>
 */
@EnabledIfSystemProperty(named = "recap.bench", matches = "true")
class GenerationBatchingBenchmark {

    private static final String MODEL = "text-to-image/shapes-t2i-base/v4";
    private static final String PROMPT = "a red circle and a blue square on a white background";
    private static final int CLIENTS = 8;

    @Test
    void batchedThroughputAndLoneLatency(@TempDir Path store) throws Exception {
        copyShippedModel(MODEL, store);
        int rounds = Integer.getInteger("recap.bench.rounds", 5);
        int loneRequests = Integer.getInteger("recap.bench.lone", 4);
        int perClient = Integer.getInteger("recap.bench.perClient", 4);
        GenerationServiceProperties properties = new GenerationServiceProperties(store, MODEL, Duration.ofHours(1),
                16, Duration.ofMinutes(10), 16, Duration.ofMillis(10), Duration.ofMillis(250), null, null, 200, 8, 2000);
        TextToImageHolder holder = new TextToImageHolder(new ModelStore(store), properties);
        holder.refresh();
        Generator generator = new Generator(holder, properties, new SimpleMeterRegistry());
        ExecutorService before = Executors.newSingleThreadExecutor();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicLong seeds = new AtomicLong();
        int steps = properties.defaultSteps();
        float guidance = properties.defaultGuidanceScale();
        try {
            // Warm-up: every batch size the rounds use, on both paths.
            count8(generator, steps, guidance, seeds);
            concurrent(generator, clients, perClient, steps, guidance, seeds);
            loneNow(generator, steps, guidance, seeds);
            loneBefore(holder, before, steps, guidance, seeds);

            System.out.printf(Locale.ROOT, "%5s %14s %14s %12s %14s %14s %10s%n", "round", "count8 img/s",
                    "c8 img/s", "c8/count8", "c1 now ms", "c1 before ms", "now/before");
            double[] batchedRatios = new double[rounds];
            double[] latencyRatios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                boolean flip = round % 2 == 1;
                double count8 = 0;
                double c8 = 0;
                if (flip) {
                    c8 = concurrent(generator, clients, perClient, steps, guidance, seeds);
                    count8 = count8(generator, steps, guidance, seeds);
                } else {
                    count8 = count8(generator, steps, guidance, seeds);
                    c8 = concurrent(generator, clients, perClient, steps, guidance, seeds);
                }
                double[] now = new double[loneRequests];
                double[] old = new double[loneRequests];
                for (int i = 0; i < loneRequests; i++) {
                    if ((i + round) % 2 == 0) {
                        now[i] = loneNow(generator, steps, guidance, seeds);
                        old[i] = loneBefore(holder, before, steps, guidance, seeds);
                    } else {
                        old[i] = loneBefore(holder, before, steps, guidance, seeds);
                        now[i] = loneNow(generator, steps, guidance, seeds);
                    }
                }
                double nowMs = median(now);
                double oldMs = median(old);
                batchedRatios[round] = c8 / count8;
                latencyRatios[round] = nowMs / oldMs;
                System.out.printf(Locale.ROOT, "%5d %14.2f %14.2f %12.3f %14.1f %14.1f %10.3f%n", round + 1, count8, c8,
                        batchedRatios[round], nowMs, oldMs, latencyRatios[round]);
            }
            System.out.printf(Locale.ROOT, "median batched_ratio (c8 / count8) %.3f, c1_latency_ratio (now / before) %.3f"
                    + " over %d rounds, %d DDIM steps, guidance %.1f%n", median(batchedRatios), median(latencyRatios),
                    rounds, steps, guidance);
        } finally {
            clients.shutdownNow();
            before.shutdownNow();
            generator.close();
            holder.close();
        }
    }

    /** Images/s of one request for 8 images. */
    private static double count8(Generator generator, int steps, float guidance, AtomicLong seeds) {
        long begin = System.nanoTime();
        generator.generate(new GenerationRequest(PROMPT, seeds.incrementAndGet(), steps, guidance, 8));
        return 8 / seconds(begin);
    }

    /** Images/s of {@link #CLIENTS} closed-loop clients asking for one image each, {@code perClient} times. */
    private static double concurrent(Generator generator, ExecutorService clients, int perClient, int steps,
            float guidance, AtomicLong seeds) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        long begin = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perClient; i++) {
                    generator.generate(new GenerationRequest(PROMPT, seeds.incrementAndGet(), steps, guidance, 1));
                }
            }, clients));
        }
        running.forEach(CompletableFuture::join);
        return CLIENTS * perClient / seconds(begin);
    }

    /** Milliseconds of one lone request through the batching generator. */
    private static double loneNow(Generator generator, int steps, float guidance, AtomicLong seeds) {
        long begin = System.nanoTime();
        generator.generate(new GenerationRequest(PROMPT, seeds.incrementAndGet(), steps, guidance, 1));
        return seconds(begin) * 1000;
    }

    /** Milliseconds of one lone request as the generator ran it before batching: alone, on its sampler thread. */
    private static double loneBefore(TextToImageHolder holder, ExecutorService sampler, int steps, float guidance,
            AtomicLong seeds) {
        long seed = seeds.incrementAndGet();
        long begin = System.nanoTime();
        CompletableFuture.supplyAsync(() -> holder.withModel((ref, model) ->
                model.sample(List.of(PROMPT), new SamplingOptions(steps, guidance, 1, seed))), sampler).join();
        return seconds(begin) * 1000;
    }

    private static double seconds(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1e9;
    }
}
