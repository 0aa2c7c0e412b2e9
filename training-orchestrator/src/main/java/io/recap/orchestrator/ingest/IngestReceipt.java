package io.recap.orchestrator.ingest;

/**
 * What an ingest request published. The catalog registers the batches asynchronously (a replayed batch
 * is skipped as a whole); {@code GET /corpora/{corpusId}} shows the result.
 *
 * @param corpusId the corpus
 * @param manifestDir the manifest directory read (its real path)
 * @param images images published
 * @param batches {@code CorpusIngestBatch}es published
 * @param topic where they went
 */
public record IngestReceipt(String corpusId, String manifestDir, int images, int batches, String topic) {
}
