package io.recap.orchestrator.executor;

/** An attempt could not be started; {@link #isTransient()} says whether trying again may help. */
public class ExecutorStartException extends Exception {

    private final boolean transientFailure;

    public ExecutorStartException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
