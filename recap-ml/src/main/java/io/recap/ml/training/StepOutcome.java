package io.recap.ml.training;

/**
 * What one optimisation step did.
 *
 * @param loss the batch loss
 * @param gradientNorm global gradient norm before clipping (NaN or infinite when skipped)
 * @param applied whether the optimizer updated the weights
 */
public record StepOutcome(float loss, float gradientNorm, boolean applied) {
}
