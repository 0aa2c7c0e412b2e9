package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ModelRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code snapshots/{snapshotId}/snapshot.json}: what a trainer needs to read a dataset without the
 * database. Written after all shards, so its presence means the snapshot is complete.
 *
 * @param format {@value #FORMAT}
 * @param snapshotId directory name under {@code snapshots/}
 * @param corpusId the corpus
 * @param captioner the captioner version whose captions were exported; null in an alt-text-only snapshot
 * @param imageCount records in all shards (every image of the corpus)
 * @param captionCount captions in all shards
 * @param captionsByStyle captions per style
 * @param shards store keys of the JSONL shards, in order
 * @param createdAt when it was exported
 */
public record SnapshotManifest(String format, String snapshotId, String corpusId, ModelRef captioner, long imageCount,
        long captionCount, Map<CaptionStyle, Long> captionsByStyle, List<String> shards, Instant createdAt) {

    public static final String FORMAT = "recap.snapshot/v1";
    public static final String FILE_NAME = "snapshot.json";

    /**
     * One line of a shard.
     *
     * @param imageId the image
     * @param image its uri ({@code file:} or {@code s3:}; inline images were written to the store on ingest)
     * @param altText the original alt-text (may be empty)
     * @param captions captions by style written by the snapshot's captioner; empty if it has none yet
     */
    public record Record(String imageId, String image, String altText, Map<CaptionStyle, String> captions) {
    }
}
