package io.recap.orchestrator.ingest;

/**
 * An ingest request that cannot be served: a bad corpus id, a manifest directory outside the allowed roots
 * ({@code UNSAFE_PATH}) or one that is not a corpus ({@code NOT_A_CORPUS}).
 */
public class InvalidIngestRequestException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidIngestRequestException(String field, String reason, String message) {
        super(message);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
