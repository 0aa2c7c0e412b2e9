package io.recap.caption.config;

import io.recap.core.batch.BatchSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the caption service ({@code recap.caption.*}).
 *
 * @param modelStore root of the model store the captioner is loaded from
 * @param model an explicit captioner ({@code captioner/name/version}); empty means the promoted one
 * @param modelPollInterval how often the promoted pointer is re-read to pick up a promotion
 * @param maxBatchSize most images decoded in one forward pass
 * @param maxBatchDelay how long the first request of a batch waits for company (not at all when it came alone:
 *     nothing else queued or in flight)
 * @param maxFillWait the most a batch may wait for as many requests as recent batches held (clients in
 *     a closed loop come back together); the wait is also at most a quarter of the previous decoding
 *     pass; {@code maxBatchDelay} or less turns this off
 * @param workers threads that decode one batch at once on a CPU, each a slice of it; the engine's
 *     intra-op threads are split among them (cores / workers each) unless set explicitly; on a GPU
 *     a batch is one pass
 * @param queueCapacity requests waiting beyond this are answered 503 with Retry-After
 * @param requestTimeout a request not captioned within this is answered 503
 * @param maxBeamSize largest beam a client may ask for
 * @param maxImageBytes largest accepted image (encoded bytes)
 * @param maxImagePixels largest accepted width × height, checked from the header before decoding
 * @param decodeBudget decoded pixels all requests may hold at once ({@link io.recap.core.image.DecodeBudget}: eight
 *     bytes a pixel until the image is shrunk to the captioner's input, right after decoding)
 * @param decodeWait how long a request waits for room in the decode budget before it is answered 503
 */
@ConfigurationProperties("recap.caption")
public record CaptionServiceProperties(
        @DefaultValue("recap-data/store") Path modelStore,
        @DefaultValue("") String model,
        @DefaultValue("10s") Duration modelPollInterval,
        @DefaultValue("32") int maxBatchSize,
        @DefaultValue("5ms") Duration maxBatchDelay,
        @DefaultValue("250ms") Duration maxFillWait,
        @DefaultValue("2") int workers,
        @DefaultValue("256") int queueCapacity,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("8") int maxBeamSize,
        @DefaultValue("16MB") DataSize maxImageBytes,
        @DefaultValue("16777216") long maxImagePixels,
        @DefaultValue("512MB") DataSize decodeBudget,
        @DefaultValue("2s") Duration decodeWait) {

    public CaptionServiceProperties {
        new BatchSettings(maxBatchSize, maxBatchDelay, maxFillWait, queueCapacity); // checks them
        if (workers < 1 || maxBeamSize < 1) {
            throw new IllegalArgumentException("workers and beam size must be positive");
        }
    }

    /** How the caption batcher forms its batches. */
    public BatchSettings batching() {
        return new BatchSettings(maxBatchSize, maxBatchDelay, maxFillWait, queueCapacity);
    }
}
