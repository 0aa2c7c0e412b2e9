package io.recap.core.messages;

/**
 * A Kafka value that cannot be accepted: malformed JSON, missing or mistyped fields, an unsupported
 * schemaVersion, or values the record rejects. Consumers treat it as poison (dead-letter it, never retry).
 */
public class MalformedMessageException extends RuntimeException {

    private final String reason;

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public MalformedMessageException(String reason) {
        this(reason, null);
    }

    /** Human-readable and safe to put in a DLQ header; names the offending field where known. */
    public String reason() {
        return reason;
    }
}
