package io.recap.core.json;

/** JSON that could not be turned into the requested type; {@link #reason()} says why, with the field path. */
public class InvalidJsonException extends RuntimeException {

    private final String reason;

    public InvalidJsonException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
