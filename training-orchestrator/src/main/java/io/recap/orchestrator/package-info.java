/** Training orchestrator: corpus catalog, jobs, scheduling, executors and model registry. */
package io.recap.orchestrator;
