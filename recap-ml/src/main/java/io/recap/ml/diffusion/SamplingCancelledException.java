package io.recap.ml.diffusion;

/**
 * Sampling stopped between two denoising steps because its thread was interrupted (a server's deadline): the
 * model and its arrays are left as they were, ready for the next call.
 */
public final class SamplingCancelledException extends RuntimeException {

    public SamplingCancelledException(int stepsDone, int steps) {
        super("sampling cancelled after " + stepsDone + " of " + steps + " steps");
    }
}
