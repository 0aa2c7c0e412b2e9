package io.recap.generation.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.batch.BatchHandler;
import io.recap.core.batch.BatchJob;
import io.recap.core.domain.ModelRef;
import io.recap.ml.diffusion.SamplingRequest;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Samples a group of compatible generation requests as one batch for the {@link Generator}'s batcher: same steps
 * and guidance (the model, and so the image size, is the batch's), each request with its own prompt, seed and count.
 *
 * <p>Sampling runs on one long-lived thread, not on the request threads: PyTorch keeps an OpenMP team per calling
 * thread, and a server's ever-changing request threads made each 25-step image take twice as long.
 */
final class BatchSampler implements BatchHandler<GenerationRequest, BatchSampler.Sampled>, AutoCloseable {

    /** One request's share of a sampled batch. */
    record Sampled(List<BufferedImage> images, ModelRef model, int promptTokens, boolean promptTruncated,
            long samplingStartNanos, long samplingNanos) {
    }

    /** Requests sampled together share these. */
    private record SamplingKey(int steps, float guidanceScale) {
    }

    private final TextToImageHolder holder;
    private final Duration requestTimeout;
    private final ExecutorService sampler;
    private final DistributionSummary stepRate;
    private final DistributionSummary batchRequests;
    private final DistributionSummary batchImages;

    BatchSampler(TextToImageHolder holder, Duration requestTimeout, MeterRegistry meters) {
        this.holder = holder;
        this.requestTimeout = requestTimeout;
        this.sampler = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "generation-sampler");
            thread.setDaemon(true);
            return thread;
        });
        this.stepRate = DistributionSummary.builder("recap.generation.denoising.steps.per.second")
                .description("DDIM steps per second of one batch (all its images at once)")
                .register(meters);
        this.batchRequests = DistributionSummary.builder("recap.generation.batch.requests")
                .description("requests sampled in one batch").serviceLevelObjectives(1, 2, 4, 8, 16).register(meters);
        this.batchImages = DistributionSummary.builder("recap.generation.batch.images")
                .description("images sampled in one batch").serviceLevelObjectives(1, 2, 4, 8, 16).register(meters);
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
        return SamplingDeadlineException.after(requestTimeout);
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
        long deadline = group.stream().mapToLong(BatchJob::deadlineNanos).max().orElseThrow();
        Future<?> sampling = sampler.submit(() -> sample(group));
        try {
            sampling.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sampling.cancel(true);
            throw SamplingDeadlineException.after(requestTimeout);
        } catch (InterruptedException e) {
            sampling.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private void sample(List<BatchJob<GenerationRequest, Sampled>> group) {
        GenerationRequest first = group.get(0).input();
        holder.withModel((ref, model) -> {
            long start = System.nanoTime();
            List<BufferedImage> images = model.sample(group.stream()
                    .map(job -> new SamplingRequest(job.input().prompt(), job.input().seed(), job.input().count()))
                    .toList(), first.steps(), first.guidanceScale());
            long nanos = System.nanoTime() - start;
            // Recorded before any caller gets its images, so whoever has its answer also sees its batch counted.
            stepRate.record(first.steps() / (nanos / 1e9));
            batchRequests.record(group.size());
            batchImages.record(images.size());
            int from = 0;
            for (BatchJob<GenerationRequest, Sampled> job : group) {
                int tokens = model.promptTokens(job.input().prompt());
                int to = from + job.input().count();
                job.result().complete(new Sampled(List.copyOf(images.subList(from, to)), ref, tokens,
                        tokens > model.contextLength(), start, nanos));
                from = to;
            }
            return null;
        });
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
