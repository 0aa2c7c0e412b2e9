/** Relabel worker: captions corpus image batches consumed from Kafka. */
package io.recap.relabel;
