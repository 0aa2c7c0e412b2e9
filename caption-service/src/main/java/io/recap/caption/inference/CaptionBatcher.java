package io.recap.caption.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.service.model.ModelNotLoadedException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Dynamic batching in the manner of DJL Serving: requests wait in a bounded queue; one thread
 * takes the first, keeps collecting until the batch is full or the first request has waited long
 * enough ({@link BatchDemand}), and decodes each (style, beam) group of the batch.
 *
 * <p>On a CPU a group is decoded by {@code workers} threads at once, each on its own slice of the
 * images, the engine's intra-op threads split among them. On a CPU that beats one pass spread over every
 * core: each PyTorch operator of such a pass waits at a barrier for all its threads, so it stalls
 * whenever the HTTP side takes one of the cores, while independent single-threaded slices just run
 * a little longer. A slice's requests are answered as soon as that slice is done. The next batch
 * starts when every slice is done, so the requests that came back meanwhile stay one batch
 * (separately running batches would split the clients into cohorts of ever smaller batches).
 */
@Component
public class CaptionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CaptionBatcher.class);
    /** Fewer images than this per slice are not worth a thread of their own. */
    static final int MIN_SLICE = 4;

    /** Requests decoded together must share style and beam size. */
    record BatchKey(String style, int beamSize) {
    }

    private record Pending(BufferedImage image, BatchKey key, CompletableFuture<Caption> result, long deadlineNanos) {
    }

    /** One decoded caption and the model version that wrote it. */
    public record Caption(String text, ModelRef model) {
    }

    private final CaptionerHolder captioner;
    private final int maxBatchSize;
    private final int workers;
    private volatile int slicesPerBatch = 1;
    private final long timeoutNanos;
    private final BlockingQueue<Pending> queue;
    private final BatchDemand demand;
    private final DistributionSummary batchSizes;
    private final MeterRegistry meters;
    private volatile ExecutorService sliceWorkers;
    private volatile Thread batcher;
    private volatile boolean running;

    public CaptionBatcher(CaptionerHolder captioner, CaptionServiceProperties properties, MeterRegistry meters) {
        this.captioner = captioner;
        this.maxBatchSize = properties.maxBatchSize();
        this.workers = properties.workers();
        this.timeoutNanos = properties.requestTimeout().toNanos();
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.demand = new BatchDemand(maxBatchSize, properties.maxBatchDelay().toNanos(),
                properties.maxFillWait().toNanos());
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("recap.caption.batch.size")
                .description("images decoded in one batch (all its slices)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(meters);
        meters.gauge("recap.caption.queue.depth", queue, BlockingQueue::size);
    }

    /**
     * Queues one image for captioning.
     *
     * @throws QueueFullException when the queue is at capacity (nothing is queued then)
     */
    public CompletableFuture<Caption> submit(BufferedImage image, String style, int beamSize) {
        Pending pending = new Pending(image, new BatchKey(style, beamSize), new CompletableFuture<>(),
                System.nanoTime() + timeoutNanos);
        if (!running || !queue.offer(pending)) {
            throw new QueueFullException(queue.remainingCapacity() + queue.size());
        }
        return pending.result();
    }

    public int queueDepth() {
        return queue.size();
    }

    BatchDemand demand() {
        return demand;
    }

    /** Into how many slices a group of {@code images} is cut: at most one per worker, none under {@link #MIN_SLICE}. */
    static int sliceCount(int images, int workers) {
        return Math.max(1, Math.min(workers, images / MIN_SLICE));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatchSize);
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long start = System.nanoTime();
                long batchDeadline = start + demand.batchDelayNanos();
                long fillDeadline = start + demand.fillWaitNanos();
                int expected = demand.expectedBatchSize();
                while (batch.size() < maxBatchSize) {
                    long wait = (batch.size() < expected ? fillDeadline : batchDeadline) - System.nanoTime();
                    Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                demand.rememberBatchSize(batch.size());
                long decodeStart = System.nanoTime();
                decode(batch);
                demand.rememberPass(System.nanoTime() - decodeStart);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("caption batch failed", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        // Whatever is still queued at shutdown is answered, not dropped silently.
        queue.forEach(p -> p.result().completeExceptionally(new ModelNotLoadedException("captioner", "the service is shutting down")));
        queue.clear();
    }

    private void decode(List<Pending> batch) {
        long now = System.nanoTime();
        Map<BatchKey, List<Pending>> groups = new LinkedHashMap<>();
        for (Pending pending : batch) {
            if (now > pending.deadlineNanos()) {
                pending.result().completeExceptionally(new TimeoutException("request timed out in the caption queue"));
            } else {
                groups.computeIfAbsent(pending.key(), k -> new ArrayList<>()).add(pending);
            }
        }
        for (Map.Entry<BatchKey, List<Pending>> group : groups.entrySet()) {
            decodeGroup(group.getKey(), group.getValue());
        }
    }

    private void decodeGroup(BatchKey key, List<Pending> group) {
        Timer.Sample sample = Timer.start(meters);
        try {
            // The read lock (withModel) keeps the model loaded until every slice is done.
            captioner.withModel((ref, model) -> {
                List<BufferedImage> images = group.stream().map(Pending::image).toList();
                model.captionInSlices(images, key.style(), DecodingOptions.beam(key.beamSize()),
                        sliceCount(group.size(), slicesPerBatch), sliceWorkers, (from, captions) -> {
                            for (int i = 0; i < captions.size(); i++) {
                                group.get(from + i).result().complete(new Caption(captions.get(i).text(), ref));
                            }
                        });
                return null;
            });
        } catch (RuntimeException e) {
            // Requests of the slices that succeeded are answered already; this completes the rest.
            group.forEach(p -> p.result().completeExceptionally(e));
        } finally {
            sample.stop(Timer.builder("recap.caption.batch.latency")
                    .description("time to decode one batch (all its slices)")
                    .tag("style", key.style())
                    .register(meters));
            batchSizes.record(group.size());
        }
    }

    @Override
    public void start() {
        slicesPerBatch = onGpu() ? 1 : workers;
        AtomicInteger number = new AtomicInteger(1);
        sliceWorkers = Executors.newFixedThreadPool(Math.max(1, workers - 1), runnable -> {
            Thread thread = new Thread(runnable, "caption-slice-" + number.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        Thread thread = new Thread(this::run, "caption-batcher");
        thread.setDaemon(true);
        batcher = thread;
        thread.start();
        log.info("caption batches of at most {}, decoded in up to {} slices at once", maxBatchSize, slicesPerBatch);
    }

    /** On a GPU one pass already runs the whole batch on the device; slices would only queue there. */
    private static boolean onGpu() {
        try {
            return DjlRuntime.defaultDevice().isGpu();
        } catch (RuntimeException e) {
            // The engine did not start: loading the model will say why (readiness stays DOWN with the reason).
            log.warn("cannot tell the device yet: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = batcher;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExecutorService pool = sliceWorkers;
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
