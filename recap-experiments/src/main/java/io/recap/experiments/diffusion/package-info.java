/**
 * Runnable measurements of the text-to-image model on ShapesWorld:
 * {@link io.recap.experiments.diffusion.DiffusionExperiment} (does it learn? LONG captions vs
 * alt-text, guidance sweep, scored by the ShapesWorld matcher) and
 * {@link io.recap.experiments.diffusion.DiffusionBenchmark} (training and sampling speed) and
 * {@link io.recap.experiments.diffusion.PositionProbe} (does a position word reach the pixels?).
 * Too slow for unit tests; results are kept under {@code docs/diffusion}.
 */
package io.recap.experiments.diffusion;
