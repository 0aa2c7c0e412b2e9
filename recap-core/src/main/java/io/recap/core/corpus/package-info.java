/**
 * The neutral corpus manifest, {@code corpus.jsonl}: one {@link io.recap.core.corpus.CorpusRecord} a line (id,
 * image, alt-text, split, optional human captions and metadata). Every corpus reader produces it and every consumer
 * reads it, so a consumer needs no world's or crawler's own classes: ShapesWorld writes it beside its own manifest,
 * and the orchestrator's ingest reads it as the {@code recap} format.
 */
package io.recap.core.corpus;
