package io.recap.orchestrator.executor;

/**
 * How an attempt ended, as the executor observed it.
 *
 * @param status the end
 * @param reason why (failures, cancellations, interruptions); null for success
 * @param transientFailure for FAILED: whether retrying may help (pod evicted, node lost, ...)
 */
public record AttemptOutcome(Status status, String reason, boolean transientFailure) {

    public enum Status {
        SUCCEEDED,
        FAILED,
        CANCELLED,
        /** The attempt was lost without failing (orchestrator restart, Job vanished): run it again. */
        INTERRUPTED
    }

    public static AttemptOutcome succeeded() {
        return new AttemptOutcome(Status.SUCCEEDED, null, false);
    }

    public static AttemptOutcome failed(String reason, boolean transientFailure) {
        return new AttemptOutcome(Status.FAILED, reason, transientFailure);
    }

    public static AttemptOutcome cancelled(String reason) {
        return new AttemptOutcome(Status.CANCELLED, reason, false);
    }

    public static AttemptOutcome interrupted(String reason) {
        return new AttemptOutcome(Status.INTERRUPTED, reason, false);
    }
}
