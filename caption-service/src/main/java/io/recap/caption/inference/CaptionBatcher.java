package io.recap.caption.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.batch.BatchHandler;
import io.recap.core.batch.BatchJob;
import io.recap.core.batch.DynamicBatcher;
import io.recap.core.batch.QueueFullException;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.service.model.ModelNotLoadedException;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Caption requests batched by the shared {@link DynamicBatcher} (bounded queue, batch delay, fill wait, no wait
 * for a request alone); each batch is decoded per (style, beam) group.
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
public class CaptionBatcher implements SmartLifecycle, BatchHandler<CaptionBatcher.Query, CaptionBatcher.Caption> {

    private static final Logger log = LoggerFactory.getLogger(CaptionBatcher.class);
    /** Fewer images than this per slice are not worth a thread of their own. */
    static final int MIN_SLICE = 4;

    /** Requests decoded together must share style and beam size. */
    record BatchKey(String style, int beamSize) {
    }

    /** One image to caption, in one style. */
    record Query(BufferedImage image, BatchKey key) {
    }

    /** One decoded caption and the model version that wrote it. */
    public record Caption(String text, ModelRef model) {
    }

    private final CaptionerHolder captioner;
    private final int workers;
    private volatile int slicesPerBatch = 1;
    private final long timeoutNanos;
    private final DynamicBatcher<Query, Caption> batcher;
    private final DistributionSummary batchSizes;
    private final MeterRegistry meters;
    private volatile ExecutorService sliceWorkers;

    public CaptionBatcher(CaptionerHolder captioner, CaptionServiceProperties properties, MeterRegistry meters) {
        this.captioner = captioner;
        this.workers = properties.workers();
        this.timeoutNanos = properties.requestTimeout().toNanos();
        this.batcher = new DynamicBatcher<>("caption-batcher", properties.batching(), this);
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("recap.caption.batch.size")
                .description("images decoded in one batch (all its slices)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(meters);
        meters.gauge("recap.caption.queue.depth", batcher, DynamicBatcher::queueDepth);
    }

    /**
     * Queues one image for captioning.
     *
     * @throws QueueFullException when the queue is at capacity (nothing is queued then)
     */
    public CompletableFuture<Caption> submit(BufferedImage image, String style, int beamSize) {
        return batcher.submit(new Query(image, new BatchKey(style, beamSize)), System.nanoTime() + timeoutNanos);
    }

    public int queueDepth() {
        return batcher.queueDepth();
    }

    /** Into how many slices a group of {@code images} is cut: at most one per worker, none under {@link #MIN_SLICE}. */
    public static int sliceCount(int images, int workers) {
        return Math.max(1, Math.min(workers, images / MIN_SLICE));
    }

    @Override
    public Object compatibilityKey(Query query) {
        return query.key();
    }

    @Override
    public Throwable expired(Query query) {
        return new TimeoutException("request timed out in the caption queue");
    }

    @Override
    public Throwable stopped() {
        // Whatever is still queued at shutdown is answered, not dropped silently.
        return new ModelNotLoadedException("captioner", "the service is shutting down");
    }

    @Override
    public void handle(List<BatchJob<Query, Caption>> group) {
        BatchKey key = group.get(0).input().key();
        Timer.Sample sample = Timer.start(meters);
        try {
            // The read lock (withModel) keeps the model loaded until every slice is done.
            captioner.withModel((ref, model) -> {
                List<BufferedImage> images = group.stream().map(job -> job.input().image()).toList();
                model.captionInSlices(images, key.style(), DecodingOptions.beam(key.beamSize()),
                        sliceCount(group.size(), slicesPerBatch), sliceWorkers, (from, captions) -> {
                            for (int i = 0; i < captions.size(); i++) {
                                group.get(from + i).result().complete(new Caption(captions.get(i).text(), ref));
                            }
                        });
                return null;
            });
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
        batcher.start();
        log.info("caption batches decoded in up to {} slices at once", slicesPerBatch);
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
        batcher.stop();
        ExecutorService pool = sliceWorkers;
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return batcher.isRunning();
    }
}
