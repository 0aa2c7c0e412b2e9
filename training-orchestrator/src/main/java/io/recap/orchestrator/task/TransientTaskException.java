package io.recap.orchestrator.task;

/**
 * A failure worth retrying (a lost resource, a flaky dependency): the job is tried again from its last
 * checkpoint while its attempt budget lasts, and the reason is kept with the attempt.
 */
public class TransientTaskException extends Exception {

    public TransientTaskException(String message) {
        super(message);
    }

    public TransientTaskException(String message, Throwable cause) {
        super(message, cause);
    }
}
