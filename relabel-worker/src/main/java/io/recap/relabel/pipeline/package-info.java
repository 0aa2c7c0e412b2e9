/** The Kafka-facing pipeline: relabel requests in, one result per image out, poison batches to the DLQ. */
package io.recap.relabel.pipeline;
