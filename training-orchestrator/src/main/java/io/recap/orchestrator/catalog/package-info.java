/** The corpus catalog: corpora, images, captions with lineage, Kafka consumers and dataset snapshots. */
package io.recap.orchestrator.catalog;
