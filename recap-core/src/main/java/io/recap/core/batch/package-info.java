/**
 * Dynamic batching in plain Java, in the manner of DJL Serving's workload manager: a bounded queue, one thread
 * that forms batches of compatible requests within a delay, and a handler the services plug in.
 */
package io.recap.core.batch;
