package io.recap.caption.inference;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recap.core.batch.BatchHandler;
import io.recap.core.batch.BatchJob;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.service.model.ModelNotLoadedException;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes one (style, beam) group of a caption batch for the {@link CaptionBatcher}.
 *
 * <p>On a CPU a group is decoded by {@code slices} threads at once, each on its own slice of the
 * images, the engine's intra-op threads split among them. On a CPU that beats one pass spread over every
 * core: each PyTorch operator of such a pass waits at a barrier for all its threads, so it stalls
 * whenever the HTTP side takes one of the cores, while independent single-threaded slices just run
 * a little longer. A slice's requests are answered as soon as that slice is done; the batcher forms the
 * next batch when every slice is done, so the requests that came back meanwhile stay one batch.
 */
final class CaptionDecoder implements BatchHandler<CaptionDecoder.Query, CaptionBatcher.Caption>, AutoCloseable {

    /** Requests decoded together must share style and beam size. */
    record BatchKey(String style, int beamSize) {
    }

    /** One image to caption, in one style. */
    record Query(BufferedImage image, BatchKey key) {
    }

    private final CaptionerHolder captioner;
    private final int slices;
    private final ExecutorService sliceWorkers;
    private final MeterRegistry meters;
    private final DistributionSummary batchSizes;

    CaptionDecoder(CaptionerHolder captioner, int slices, MeterRegistry meters) {
        this.captioner = captioner;
        this.slices = slices;
        this.meters = meters;
        AtomicInteger number = new AtomicInteger(1);
        this.sliceWorkers = Executors.newFixedThreadPool(Math.max(1, slices - 1), runnable -> {
            Thread thread = new Thread(runnable, "caption-slice-" + number.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
        this.batchSizes = DistributionSummary.builder("recap.caption.batch.size")
                .description("images decoded in one batch (all its slices)")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(meters);
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
    public void handle(List<BatchJob<Query, CaptionBatcher.Caption>> group) {
        BatchKey key = group.get(0).input().key();
        Timer.Sample sample = Timer.start(meters);
        try {
            // The read lock (withModel) keeps the model loaded until every slice is done.
            captioner.withModel((ref, model) -> {
                List<BufferedImage> images = group.stream().map(job -> job.input().image()).toList();
                model.captionInSlices(images, key.style(), DecodingOptions.beam(key.beamSize()),
                        CaptionBatcher.sliceCount(group.size(), slices), sliceWorkers, (from, captions) -> {
                            for (int i = 0; i < captions.size(); i++) {
                                group.get(from + i).result()
                                        .complete(new CaptionBatcher.Caption(captions.get(i).text(), ref));
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
    public void close() {
        sliceWorkers.shutdown();
    }
}
