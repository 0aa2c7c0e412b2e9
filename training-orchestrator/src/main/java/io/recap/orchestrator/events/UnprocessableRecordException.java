package io.recap.orchestrator.events;

/**
 * Thrown by a listener for a record it can never apply as it is, though it decoded: the error handler
 * dead-letters it at once instead of retrying it. Undecodable records throw recap-core's
 * {@code MalformedMessageException}, which is treated the same way.
 */
public class UnprocessableRecordException extends RuntimeException {

    private final String outcome;

    /**
     * @param outcome the {@code outcome} tag it is counted under in {@code recap.orchestrator.messages}
     * @param reason what is wrong with the record; goes to the log line and the dead letter's headers
     */
    public UnprocessableRecordException(String outcome, String reason, Throwable cause) {
        super(reason, cause);
        this.outcome = outcome;
    }

    public String outcome() {
        return outcome;
    }
}
