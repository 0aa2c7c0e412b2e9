/** Micrometer meters of the orchestrator. */
package io.recap.orchestrator.metrics;
