package io.recap.generation.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.batch.BatchHandler;
import io.recap.core.batch.BatchJob;
import io.recap.core.batch.DynamicBatcher;
import io.recap.core.batch.QueueFullException;
import io.recap.core.domain.ModelRef;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.ml.diffusion.SamplingRequest;
import jakarta.annotation.PreDestroy;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/**
 * Samples images for requests, batched across requests by the shared {@link DynamicBatcher}: requests with the same
 * steps and guidance (the image size is the model's) that arrive within the batch delay are sampled as one batch of
 * at most {@code maxBatchSize} images, each with its own prompt, seed and count; its images start from the noise its
 * seed gives alone ({@link io.recap.ml.diffusion.TextToImage#sample(List, int, float)}). At most
 * {@code maxWaiting} requests wait; anyone beyond is refused at once (503), so a burst cannot pile up unbounded work.
 * The conditional and unconditional passes of classifier-free guidance run in one batch inside the sampler.
 *
 * <p>Sampling runs on one long-lived thread, not on the request threads: PyTorch keeps an OpenMP team per calling
 * thread, and a server's ever-changing request threads made each 25-step image take twice as long.
 */
@Service
public class Generator implements BatchHandler<GenerationRequest, Generator.Sampled> {

    /** Images with what made them. */
    public record Generated(List<BufferedImage> images, ModelRef model, long seed, int promptTokens,
            boolean promptTruncated, long waitMs, long samplingMs, double stepsPerSecond) {
    }

    /** One request's share of a sampled batch. */
    record Sampled(List<BufferedImage> images, ModelRef model, int promptTokens, boolean promptTruncated,
            long samplingStartNanos, long samplingNanos) {
    }

    /** Requests sampled together share these; the model and so the image size are the batch's. */
    private record SamplingKey(int steps, float guidanceScale) {
    }

    private final TextToImageHolder holder;
    private final GenerationServiceProperties properties;
    private final MeterRegistry meters;
    private final DistributionSummary stepRate;
    private final DistributionSummary batchRequests;
    private final DistributionSummary batchImages;
    private final ExecutorService sampler;
    private final DynamicBatcher<GenerationRequest, Sampled> batcher;

    public Generator(TextToImageHolder holder, GenerationServiceProperties properties, MeterRegistry meters) {
        this.holder = holder;
        this.properties = properties;
        this.meters = meters;
        this.stepRate = DistributionSummary.builder("recap.generation.denoising.steps.per.second")
                .description("DDIM steps per second of one batch (all its images at once)")
                .register(meters);
        this.batchRequests = DistributionSummary.builder("recap.generation.batch.requests")
                .description("requests sampled in one batch").serviceLevelObjectives(1, 2, 4, 8, 16).register(meters);
        this.batchImages = DistributionSummary.builder("recap.generation.batch.images")
                .description("images sampled in one batch").serviceLevelObjectives(1, 2, 4, 8, 16).register(meters);
        this.sampler = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "generation-sampler");
            thread.setDaemon(true);
            return thread;
        });
        this.batcher = new DynamicBatcher<>("generation-batcher", properties.batching(), this);
        meters.gauge("recap.generation.waiting", batcher, DynamicBatcher::queueDepth);
        batcher.start();
    }

    @PreDestroy
    public void close() {
        batcher.stop();
        sampler.shutdownNow();
    }

    /**
     * @throws SaturatedException when {@code maxWaiting} requests already wait
     * @throws SamplingDeadlineException when queueing and sampling took longer than the request timeout
     */
    public Generated generate(GenerationRequest request) {
        long start = System.nanoTime();
        try {
            CompletableFuture<Sampled> result;
            try {
                result = batcher.submit(request, start + properties.requestTimeout().toNanos());
            } catch (QueueFullException e) {
                throw new SaturatedException("generation is saturated: a batch is sampling and "
                        + properties.maxWaiting() + " requests wait");
            }
            Sampled sampled = await(result, start + properties.requestTimeout().toNanos());
            long samplingMs = sampled.samplingNanos() / 1_000_000;
            return new Generated(sampled.images(), sampled.model(), request.seed(), sampled.promptTokens(),
                    sampled.promptTruncated(), (sampled.samplingStartNanos() - start) / 1_000_000, samplingMs,
                    request.steps() / (sampled.samplingNanos() / 1e9));
        } finally {
            Timer.builder("recap.generation.request.latency").description("generation request latency")
                    .publishPercentileHistogram().register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Sampled await(CompletableFuture<Sampled> result, long deadlineNanos) {
        try {
            return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Done with it: the batcher drops it if still queued; its batch stops at the last of its requests' deadlines.
            result.cancel(false);
            throw deadlineExceeded();
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

    private SamplingDeadlineException deadlineExceeded() {
        return new SamplingDeadlineException("sampling did not finish within the request timeout of "
                + properties.requestTimeout() + " (queue wait included); ask for fewer steps or images");
    }

    @Override
    public Object compatibilityKey(GenerationRequest request) {
        return new SamplingKey(request.steps(), request.guidanceScale());
    }

    @Override
    public int weight(GenerationRequest request) {
        return request.count();
    }

    @Override
    public Throwable expired(GenerationRequest request) {
        return deadlineExceeded();
    }

    @Override
    public Throwable stopped() {
        return new SaturatedException("the service is shutting down");
    }

    /**
     * Samples the group on the sampler thread until the last of its requests' deadlines; past it the sampler is
     * interrupted, which stops it before its next denoising step.
     */
    @Override
    public void handle(List<BatchJob<GenerationRequest, Sampled>> group) throws Exception {
        GenerationRequest first = group.get(0).input();
        long deadline = group.stream().mapToLong(BatchJob::deadlineNanos).max().orElseThrow();
        Future<?> sampling = sampler.submit(() -> holder.withModel((ref, model) -> {
            long start = System.nanoTime();
            List<BufferedImage> images = model.sample(group.stream()
                    .map(job -> new SamplingRequest(job.input().prompt(), job.input().seed(), job.input().count()))
                    .toList(), first.steps(), first.guidanceScale());
            long nanos = System.nanoTime() - start;
            int from = 0;
            for (BatchJob<GenerationRequest, Sampled> job : group) {
                int tokens = model.promptTokens(job.input().prompt());
                int to = from + job.input().count();
                job.result().complete(new Sampled(List.copyOf(images.subList(from, to)), ref, tokens,
                        tokens > model.contextLength(), start, nanos));
                from = to;
            }
            stepRate.record(first.steps() / (nanos / 1e9));
            batchRequests.record(group.size());
            batchImages.record(images.size());
            return null;
        }));
        try {
            sampling.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sampling.cancel(true);
            throw deadlineExceeded();
        } catch (InterruptedException e) {
            sampling.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
