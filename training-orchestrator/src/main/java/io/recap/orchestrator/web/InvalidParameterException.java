package io.recap.orchestrator.web;

/** A request parameter or path segment that cannot be accepted; {@link #field()} names it. */
public class InvalidParameterException extends RuntimeException {

    private final String field;

    public InvalidParameterException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
