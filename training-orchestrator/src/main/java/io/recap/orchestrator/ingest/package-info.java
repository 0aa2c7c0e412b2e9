/**
 * Corpus ingestion from a ShapesWorld manifest directory: {@code POST /corpora/{corpusId}/ingest} and the
 * {@link io.recap.orchestrator.ingest.IngestCli} publish {@code CorpusIngestBatch}es to {@code recap.corpus.ingest}.
 */
package io.recap.orchestrator.ingest;
