package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;

/**
 * What the UNet is trained to output for a noisy image {@code x_t = a x_0 + s eps}, where
 * {@code a = sqrt(alphaBar_t)} and {@code s = sqrt(1 - alphaBar_t)}.
 *
 * <p>{@link #EPSILON} (DDPM, Stable Diffusion v1) predicts the noise; {@link #V} (Salimans and
 * Ho, 2022) predicts {@code v = a eps - s x_0}, which stays well scaled at both ends of the
 * schedule: at high noise, where an epsilon model's {@code x_0 = (x_t - s eps) / a} divides by a
 * near-zero {@code a}, a v model still gives a usable image estimate. Both convert to the same
 * (x_0, eps) pair, so the sampler does not care which one a model uses.
 */
public enum Prediction {
    EPSILON,
    V;

    /** The training target for clean images x0 and their noise; a and s broadcast as (B, 1, 1, 1). */
    public NDArray target(NDArray x0, NDArray noise, NDArray a, NDArray s) {
        return switch (this) {
            case EPSILON -> noise;
            case V -> noise.mul(a).sub(x0.mul(s));
        };
    }

    /** The clean-image estimate from the model output at a step with coefficients a and s. */
    public NDArray cleanImage(NDArray xt, NDArray output, float a, float s) {
        return switch (this) {
            case EPSILON -> xt.sub(output.mul(s)).div(a);
            case V -> xt.mul(a).sub(output.mul(s));
        };
    }
}
