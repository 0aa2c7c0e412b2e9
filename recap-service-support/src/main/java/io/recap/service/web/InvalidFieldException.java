package io.recap.service.web;

/**
 * A request field, parameter or path segment that cannot be accepted, shared by every service so that each answers
 * it the same way: 400 problem+json naming the {@link #field()}, with reason {@code INVALID_FIELD} unless a more
 * specific {@link #reason()} is given (an ingest's {@code UNKNOWN_FORMAT}, {@code UNSAFE_PATH}, ...).
 */
public class InvalidFieldException extends RuntimeException {

    public static final String INVALID_FIELD = "INVALID_FIELD";

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String message) {
        this(field, message, INVALID_FIELD);
    }

    public InvalidFieldException(String field, String message, String reason) {
        super(message);
        this.field = field;
        this.reason = reason == null ? INVALID_FIELD : reason;
    }

    /** The offending field's name or path (e.g. {@code spec.captioner}); null where no single field is at fault. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
