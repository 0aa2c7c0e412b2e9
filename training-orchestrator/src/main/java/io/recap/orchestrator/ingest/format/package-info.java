/**
 * Readers of the corpus layouts people already have (ShapesWorld, sidecar image folders, Hugging Face
 * imagefolder, JSONL and CSV manifests): plain Java, no Spring. Each turns a directory under the allowed roots
 * into usable items and per-item errors with a reason; the rest of the corpus is read on.
 */
package io.recap.orchestrator.ingest.format;
