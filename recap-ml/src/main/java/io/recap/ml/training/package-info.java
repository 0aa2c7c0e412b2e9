/**
 * Training machinery shared by the captioner and, later, the text-to-image trainers:
 * warm-up + cosine learning-rate schedule, one guarded optimisation step per
 * {@link ai.djl.ndarray.NDScope} (global-norm clipping, non-finite gradients skipped),
 * progress logging with throughput and ETA, and loss-curve plots.
 */
package io.recap.ml.training;
