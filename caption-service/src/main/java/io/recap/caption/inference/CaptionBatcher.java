package io.recap.caption.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.batch.DynamicBatcher;
import io.recap.core.batch.QueueFullException;
import io.recap.core.domain.ModelRef;
import io.recap.ml.runtime.DjlRuntime;
import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Caption requests batched by the shared {@link DynamicBatcher} (bounded queue, batch delay, fill wait, no wait
 * for a request alone) and decoded per (style, beam) group by a {@link CaptionDecoder}, in {@code workers} slices
 * at once on a CPU and in one pass on a GPU.
 */
@Component
public class CaptionBatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CaptionBatcher.class);
    /** Fewer images than this per slice are not worth a thread of their own. */
    static final int MIN_SLICE = 4;

    /** One decoded caption and the model version that wrote it. */
    public record Caption(String text, ModelRef model) {
    }

    private final CaptionerHolder captioner;
    private final CaptionServiceProperties properties;
    private final MeterRegistry meters;
    private final long timeoutNanos;
    private volatile CaptionDecoder decoder;
    private volatile DynamicBatcher<CaptionDecoder.Query, Caption> batcher;

    public CaptionBatcher(CaptionerHolder captioner, CaptionServiceProperties properties, MeterRegistry meters) {
        this.captioner = captioner;
        this.properties = properties;
        this.meters = meters;
        this.timeoutNanos = properties.requestTimeout().toNanos();
        meters.gauge("recap.caption.queue.depth", this, CaptionBatcher::queueDepth);
    }

    /**
     * Queues one image for captioning.
     *
     * @throws QueueFullException when the queue is at capacity or the batcher is not running (nothing is queued then)
     */
    public CompletableFuture<Caption> submit(BufferedImage image, String style, int beamSize) {
        DynamicBatcher<CaptionDecoder.Query, Caption> running = batcher;
        if (running == null) {
            throw new QueueFullException(properties.queueCapacity());
        }
        return running.submit(new CaptionDecoder.Query(image, new CaptionDecoder.BatchKey(style, beamSize)),
                System.nanoTime() + timeoutNanos);
    }

    public int queueDepth() {
        DynamicBatcher<CaptionDecoder.Query, Caption> running = batcher;
        return running == null ? 0 : running.queueDepth();
    }

    /** Into how many slices a group of {@code images} is cut: at most one per worker, none under {@link #MIN_SLICE}. */
    public static int sliceCount(int images, int workers) {
        return Math.max(1, Math.min(workers, images / MIN_SLICE));
    }

    @Override
    public synchronized void start() {
        int slices = onGpu() ? 1 : properties.workers();
        decoder = new CaptionDecoder(captioner, slices, meters);
        batcher = new DynamicBatcher<>("caption-batcher", properties.batching(), decoder);
        batcher.start();
        log.info("caption batches decoded in up to {} slices at once", slices);
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
    public synchronized void stop() {
        if (batcher != null) {
            batcher.stop();
        }
        if (decoder != null) {
            decoder.close();
        }
    }

    @Override
    public boolean isRunning() {
        DynamicBatcher<CaptionDecoder.Query, Caption> running = batcher;
        return running != null && running.isRunning();
    }
}
