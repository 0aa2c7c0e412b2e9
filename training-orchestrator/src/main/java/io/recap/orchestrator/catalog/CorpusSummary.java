package io.recap.orchestrator.catalog;

import java.time.Instant;

/** A corpus and how many images it holds. */
public record CorpusSummary(String corpusId, Instant createdAt, long imageCount) {
}
