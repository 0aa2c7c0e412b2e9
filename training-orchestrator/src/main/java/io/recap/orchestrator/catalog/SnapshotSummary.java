package io.recap.orchestrator.catalog;

import java.time.Instant;

/** A dataset snapshot as listed with its corpus. */
public record SnapshotSummary(String snapshotId, String captioner, long imageCount, long captionCount, int shardCount,
        Instant createdAt) {
}
