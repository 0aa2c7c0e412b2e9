package io.recap.relabel.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the relabel worker ({@code recap.relabel.*}).
 *
 * @param modelStore root of the model store captioners are loaded from
 * @param allowedRoots the only directories images may be read from
 * @param maxImageBytes largest accepted image
 * @param maxImagePixels largest accepted width × height, checked from the header
 * @param inferenceBatchSize most images decoded in one forward pass
 * @param beamSize beam width for relabelling (1 = greedy)
 * @param loadedCaptioners how many captioner versions stay in memory at once
 * @param maxBatchImages a request with more images is refused whole (to the DLQ, reason given); the orchestrator's
 *     batches are at most 1,000 images
 * @param decodeBudget full-size decoded pixels all consumer threads may hold at once (8 bytes a pixel), each image
 *     shrunk to the captioner's input right after decoding
 * @param decodeWait how long an image waits for room in the budget; past it the batch fails and is retried
 */
@ConfigurationProperties("recap.relabel")
public record RelabelWorkerProperties(
        @DefaultValue("recap-data/store") Path modelStore,
        @DefaultValue("recap-data/corpora") List<Path> allowedRoots,
        @DefaultValue("16MB") DataSize maxImageBytes,
        @DefaultValue("16777216") long maxImagePixels,
        @DefaultValue("32") int inferenceBatchSize,
        @DefaultValue("1") int beamSize,
        @DefaultValue("2") int loadedCaptioners,
        @DefaultValue("1000") int maxBatchImages,
        @DefaultValue("512MB") DataSize decodeBudget,
        @DefaultValue("5m") Duration decodeWait) {
}
