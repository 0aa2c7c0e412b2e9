/**
 * Captions back out: the catalog's captions of one captioner version, streamed in the shapes the field's trainers
 * read (sidecar {@code .txt} files, a Hugging Face {@code metadata.jsonl}, WebDataset shards), resumable by image id.
 * Plain Java over the catalog repository; the web layer only chooses the format and streams.
 */
package io.recap.orchestrator.export;
