package io.recap.generation.inference;

/** Every sampling slot is busy and the waiting line is full, or no slot freed up in time. */
public class SaturatedException extends RuntimeException {

    public SaturatedException(String message) {
        super(message);
    }
}
