package io.recap.orchestrator.jobs;

import java.time.Instant;

/**
 * One attempt of a job: where it ran, where it resumed from, how it ended and why.
 *
 * @param outcome null while running; SUCCEEDED, FAILED, CANCELLED or INTERRUPTED (orchestrator restart)
 * @param externalRef the executor's handle (e.g. the Kubernetes Job name)
 */
public record JobAttempt(int attempt, String executor, String externalRef, Long resumedFromStep, Instant startedAt,
        Instant finishedAt, String outcome, String reason) {
}
