package io.recap.generation.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.domain.ModelRef;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.text.CaptionTokenizer;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * Samples images for a request behind a bounded gate: at most {@code maxConcurrent} requests
 * sample at once and at most {@code maxWaiting} wait; anyone beyond is refused at once (503),
 * so a burst cannot pile up unbounded work. The conditional and unconditional passes of
 * classifier-free guidance run in one batch inside the sampler.
 */
@Service
public class Generator {

    /** Images with what made them. */
    public record Generated(List<BufferedImage> images, ModelRef model, long seed, int promptTokens,
            boolean promptTruncated, long waitMs, long samplingMs, double stepsPerSecond) {
    }

    private final TextToImageHolder holder;
    private final GenerationServiceProperties properties;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final MeterRegistry meters;
    private final DistributionSummary stepRate;

    public Generator(TextToImageHolder holder, GenerationServiceProperties properties, MeterRegistry meters) {
        this.holder = holder;
        this.properties = properties;
        this.slots = new Semaphore(Math.max(1, properties.maxConcurrent()), true);
        this.meters = meters;
        this.stepRate = DistributionSummary.builder("recap.generation.denoising.steps.per.second")
                .description("DDIM steps per second of one request (all its images batched)")
                .register(meters);
        meters.gauge("recap.generation.waiting", waiting);
    }

    public Generated generate(GenerationRequest request) {
        long start = System.nanoTime();
        if (waiting.incrementAndGet() > properties.maxWaiting() + properties.maxConcurrent()) {
            waiting.decrementAndGet();
            throw new SaturatedException("generation is saturated: " + properties.maxConcurrent()
                    + " sampling and " + properties.maxWaiting() + " waiting");
        }
        boolean acquired = false;
        try {
            acquired = slots.tryAcquire(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!acquired) {
                throw new SaturatedException("no sampling slot became free within " + properties.requestTimeout());
            }
            long sampleStart = System.nanoTime();
            Generated generated = holder.withModel((ref, model) -> {
                CaptionTokenizer tokenizer = model.getTokenizer();
                int tokens = tokenizer.countTokens(null, request.prompt());
                List<BufferedImage> images = model.sample(List.of(request.prompt()),
                        new SamplingOptions(request.steps(), request.guidanceScale(), request.count(), request.seed()));
                long samplingNanos = System.nanoTime() - sampleStart;
                return new Generated(images, ref, request.seed(), tokens, tokens > tokenizer.contextLength(),
                        (sampleStart - start) / 1_000_000, samplingNanos / 1_000_000,
                        request.steps() / (samplingNanos / 1e9));
            });
            stepRate.record(generated.stepsPerSecond());
            return generated;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SaturatedException("interrupted while waiting for a sampling slot");
        } finally {
            if (acquired) {
                slots.release();
            }
            waiting.decrementAndGet();
            Timer.builder("recap.generation.request.latency").description("generation request latency")
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
