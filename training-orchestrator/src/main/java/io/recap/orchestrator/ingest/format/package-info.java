/**
 * Readers of the corpus layouts people already have (the neutral {@code corpus.jsonl}, which ShapesWorld writes
 * too, sidecar image folders, Hugging Face imagefolder, JSONL and CSV manifests, WebDataset shards): plain Java, no
 * Spring, and no ShapesWorld class: a ShapesWorld corpus is read through its {@code corpus.jsonl}. Each turns a
 * directory under the allowed roots into recap-core's neutral {@link io.recap.core.corpus.CorpusRecord}s, their
 * images resolved, and per-item errors with a reason; the rest of the corpus is read on.
 */
package io.recap.orchestrator.ingest.format;
