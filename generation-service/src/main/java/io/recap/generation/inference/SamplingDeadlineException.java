package io.recap.generation.inference;

import java.time.Duration;

/** A request's sampling ran past its deadline and was stopped. */
public class SamplingDeadlineException extends RuntimeException {

    public SamplingDeadlineException(String message) {
        super(message);
    }

    /** Queueing and sampling took longer than the request timeout. */
    static SamplingDeadlineException after(Duration requestTimeout) {
        return new SamplingDeadlineException("sampling did not finish within the request timeout of " + requestTimeout
                + " (queue wait included); ask for fewer steps or images");
    }
}
