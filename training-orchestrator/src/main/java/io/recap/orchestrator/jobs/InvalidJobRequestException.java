package io.recap.orchestrator.jobs;

/** A job request that cannot be accepted; {@link #field()} names the offending field (e.g. {@code spec.captioner}). */
public class InvalidJobRequestException extends RuntimeException {

    private final String field;

    public InvalidJobRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
