package io.recap.caption.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.captioner.GeneratedCaption;
import io.recap.service.model.ModelNotLoadedException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Dynamic batching in the manner of DJL Serving: requests wait in a bounded queue; one worker
 * takes the first, then keeps collecting until the batch is full or the first request has waited
 * {@code maxBatchDelay}, and decodes each (style, beam) group in one forward pass. One worker,
 * because a forward pass already uses every core and the model is not shared across threads.
 *
 * <p>Batch filling adapts to demand: while a batch holds fewer requests than the largest of the
 * last {@value #DEMAND_WINDOW} batches, it may wait for them up to a quarter of the previous
 * decoding pass's time (at least {@code maxBatchDelay}, at most {@code maxFillWait}), so the wait
 * never costs more than a quarter of a pass. Clients that wait for their answer before asking
 * again come back together after each pass, but on a busy machine not within a few milliseconds:
 * without this, 32 such clients split into two cohorts that stay out of step for good, and every
 * pass decodes half a batch. With one client the largest recent batch is 1, so nobody waits for
 * company that is not coming; when demand falls, the estimate forgets it after a few batches.
 */
@Component
public class CaptionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CaptionBatcher.class);
    /** Batches remembered when estimating how many requests the next one can expect. */
    static final int DEMAND_WINDOW = 8;

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
    private final long maxBatchDelayNanos;
    private final long maxFillWaitNanos;
    private final int[] recentBatchSizes = new int[DEMAND_WINDOW];
    private int recentIndex;
    private volatile long lastPassNanos;
    private final long timeoutNanos;
    private final BlockingQueue<Pending> queue;
    private final DistributionSummary batchSizes;
    private final MeterRegistry meters;
    private volatile Thread worker;
    private volatile boolean running;

    public CaptionBatcher(CaptionerHolder captioner, CaptionServiceProperties properties, MeterRegistry meters) {
        this.captioner = captioner;
        this.maxBatchSize = properties.maxBatchSize();
        this.maxBatchDelayNanos = properties.maxBatchDelay().toNanos();
        this.maxFillWaitNanos = properties.maxFillWait().toNanos();
        this.timeoutNanos = properties.requestTimeout().toNanos();
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("recap.caption.batch.size")
                .description("images decoded in one forward pass")
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
                long batchDeadline = start + maxBatchDelayNanos;
                long fillDeadline = start + fillWaitNanos();
                int expected = expectedBatchSize();
                while (batch.size() < maxBatchSize) {
                    long wait = (batch.size() < expected ? fillDeadline : batchDeadline) - System.nanoTime();
                    Pending next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                rememberBatchSize(batch.size());
                long decodeStart = System.nanoTime();
                decode(batch);
                rememberPass(System.nanoTime() - decodeStart);
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

    /** How long a short batch may wait for expected company: a quarter of the last pass, bounded. */
    long fillWaitNanos() {
        return Math.max(maxBatchDelayNanos, Math.min(maxFillWaitNanos, lastPassNanos / 4));
    }

    void rememberPass(long nanos) {
        lastPassNanos = nanos;
    }

    /** The largest of the recent batches: how many requests came together lately. */
    int expectedBatchSize() {
        int expected = 1;
        for (int size : recentBatchSizes) {
            expected = Math.max(expected, size);
        }
        return Math.min(expected, maxBatchSize);
    }

    void rememberBatchSize(int size) {
        recentBatchSizes[recentIndex] = size;
        recentIndex = (recentIndex + 1) % DEMAND_WINDOW;
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
        List<BufferedImage> images = group.stream().map(Pending::image).toList();
        Timer.Sample sample = Timer.start(meters);
        try {
            captioner.withModel((ref, model) -> {
                List<GeneratedCaption> captions = model.caption(images, key.style(), DecodingOptions.beam(key.beamSize()));
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).result().complete(new Caption(captions.get(i).text(), ref));
                }
                return null;
            });
        } catch (RuntimeException e) {
            group.forEach(p -> p.result().completeExceptionally(e));
        } finally {
            sample.stop(Timer.builder("recap.caption.batch.latency")
                    .description("time of one batched decoding pass")
                    .tag("style", key.style())
                    .register(meters));
            batchSizes.record(group.size());
        }
    }

    @Override
    public void start() {
        running = true;
        Thread thread = new Thread(this::run, "caption-batcher");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
