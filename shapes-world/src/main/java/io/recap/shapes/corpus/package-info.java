/**
 * Corpora on disk: the generator that writes PNGs plus {@code manifest.jsonl} with ground truth
 * and every kind of text (and the same images as the platform's neutral {@code corpus.jsonl}),
 * the manifest reader, and the contact sheet for eyeballing a corpus.
 */
package io.recap.shapes.corpus;
