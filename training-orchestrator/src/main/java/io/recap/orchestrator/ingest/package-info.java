/**
 * Corpus ingestion from a corpus directory in any of the {@link io.recap.orchestrator.ingest.format} formats:
 * {@code POST /corpora/{corpusId}/ingest} and the {@link io.recap.orchestrator.ingest.IngestCli} publish
 * {@code CorpusIngestBatch}es to {@code recap.corpus.ingest}.
 */
package io.recap.orchestrator.ingest;
