package io.recap.generation.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.domain.ModelRef;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.text.CaptionTokenizer;
import jakarta.annotation.PreDestroy;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * Samples images for a request behind a bounded gate: at most {@code maxConcurrent} requests
 * sample at once and at most {@code maxWaiting} wait; anyone beyond is refused at once (503),
 * so a burst cannot pile up unbounded work. The conditional and unconditional passes of
 * classifier-free guidance run in one batch inside the sampler.
 *
 * <p>Sampling runs on {@code maxConcurrent} long-lived threads, not on the request threads:
 * PyTorch keeps an OpenMP team per calling thread, and a server's ever-changing request threads
 * made each 25-step image take 800 ms against the sampler's 420 ms on its own thread.
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
    private final ExecutorService samplers;

    public Generator(TextToImageHolder holder, GenerationServiceProperties properties, MeterRegistry meters) {
        this.holder = holder;
        this.properties = properties;
        this.slots = new Semaphore(Math.max(1, properties.maxConcurrent()), true);
        this.meters = meters;
        this.stepRate = DistributionSummary.builder("recap.generation.denoising.steps.per.second")
                .description("DDIM steps per second of one request (all its images batched)")
                .register(meters);
        meters.gauge("recap.generation.waiting", waiting);
        AtomicInteger threads = new AtomicInteger();
        this.samplers = Executors.newFixedThreadPool(Math.max(1, properties.maxConcurrent()), task -> {
            Thread thread = new Thread(task, "generation-sampler-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        samplers.shutdownNow();
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
            long deadline = start + properties.requestTimeout().toNanos();
            Generated generated = onSamplerThread(deadline, () -> holder.withModel((ref, model) -> {
                CaptionTokenizer tokenizer = model.getTokenizer();
                int tokens = tokenizer.countTokens(null, request.prompt());
                List<BufferedImage> images = model.sample(List.of(request.prompt()),
                        new SamplingOptions(request.steps(), request.guidanceScale(), request.count(), request.seed()));
                long samplingNanos = System.nanoTime() - sampleStart;
                return new Generated(images, ref, request.seed(), tokens, tokens > tokenizer.contextLength(),
                        (sampleStart - start) / 1_000_000, samplingNanos / 1_000_000,
                        request.steps() / (samplingNanos / 1e9));
            }));
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

    /**
     * Runs {@code work} on a sampler thread and waits for it until {@code deadlineNanos}; past it the sampler is
     * interrupted, which stops it before its next denoising step, and the request is refused. Its exceptions reach
     * the caller as they were.
     */
    private Generated onSamplerThread(long deadlineNanos, Callable<Generated> work) throws InterruptedException {
        Future<Generated> future = samplers.submit(work);
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw new SamplingDeadlineException("sampling did not finish within the request timeout of "
                    + properties.requestTimeout() + " (slot wait included); ask for fewer steps or images");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
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
