package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A corpus with its counts.
 *
 * @param captions caption counts by captioner version ({@code captioner/name/version}) and style
 * @param relabelFailures images a captioner version could not caption
 * @param relabelFailureReasons the same failures by captioner version and error code
 */
public record CorpusDetails(String corpusId, Instant createdAt, long imageCount, long batchCount,
        Map<String, Map<CaptionStyle, Long>> captions, Map<String, Long> relabelFailures,
        Map<String, Map<String, Long>> relabelFailureReasons,
        List<SnapshotSummary> snapshots) {
}
