/** The persistent, pool-aware job queue and start-up recovery. */
package io.recap.orchestrator.scheduling;
