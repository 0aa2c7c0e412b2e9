package io.recap.generation.inference;

/** A request's sampling ran past its deadline and was stopped. */
public class SamplingDeadlineException extends RuntimeException {

    public SamplingDeadlineException(String message) {
        super(message);
    }
}
