package io.recap.generation.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.batch.DynamicBatcher;
import io.recap.core.batch.QueueFullException;
import io.recap.core.domain.ModelRef;
import io.recap.generation.config.GenerationServiceProperties;
import jakarta.annotation.PreDestroy;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * Generates images for requests, batched across requests by the shared {@link DynamicBatcher}: requests with the
 * same steps and guidance that arrive within the batch delay are sampled as one batch of at most
 * {@code maxBatchSize} images ({@link BatchSampler}), each with its own prompt, seed and count; its images start
 * from the noise its seed gives alone ({@link io.recap.ml.diffusion.TextToImage#sample(List, int, float)}). At
 * most {@code maxWaiting} requests wait; anyone beyond is refused at once (503), so a burst cannot pile up unbounded
 * work. The conditional and unconditional passes of classifier-free guidance run in one batch inside the sampler.
 */
@Service
public class Generator {

    /** Images with what made them. */
    public record Generated(List<BufferedImage> images, ModelRef model, long seed, int promptTokens,
            boolean promptTruncated, long waitMs, long samplingMs, double stepsPerSecond) {
    }

    private final GenerationServiceProperties properties;
    private final MeterRegistry meters;
    private final BatchSampler sampler;
    private final DynamicBatcher<GenerationRequest, BatchSampler.Sampled> batcher;

    public Generator(TextToImageHolder holder, GenerationServiceProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        this.sampler = new BatchSampler(holder, properties.requestTimeout(), meters);
        this.batcher = new DynamicBatcher<>("generation-batcher", properties.batching(), sampler);
        meters.gauge("recap.generation.waiting", batcher, DynamicBatcher::queueDepth);
        batcher.start();
    }

    @PreDestroy
    public void close() {
        batcher.stop();
        sampler.close();
    }

    /**
     * @throws SaturatedException when {@code maxWaiting} requests already wait
     * @throws SamplingDeadlineException when queueing and sampling took longer than the request timeout
     */
    public Generated generate(GenerationRequest request) {
        long start = System.nanoTime();
        try {
            long deadline = start + properties.requestTimeout().toNanos();
            CompletableFuture<BatchSampler.Sampled> result;
            try {
                result = batcher.submit(request, deadline);
            } catch (QueueFullException e) {
                throw new SaturatedException("generation is saturated: a batch is sampling and "
                        + properties.maxWaiting() + " requests wait");
            }
            BatchSampler.Sampled sampled = await(result, deadline);
            return new Generated(sampled.images(), sampled.model(), request.seed(), sampled.promptTokens(),
                    sampled.promptTruncated(), (sampled.samplingStartNanos() - start) / 1_000_000,
                    sampled.samplingNanos() / 1_000_000, request.steps() / (sampled.samplingNanos() / 1e9));
        } finally {
            Timer.builder("recap.generation.request.latency").description("generation request latency")
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private BatchSampler.Sampled await(CompletableFuture<BatchSampler.Sampled> result, long deadlineNanos) {
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Done with it: the batcher drops it if still queued; its batch stops at the last of its requests' deadlines.
            result.cancel(false);
            throw SamplingDeadlineException.after(properties.requestTimeout());
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new SaturatedException("interrupted while waiting for sampling");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("sampling failed", e.getCause());
        }
    }
}
