/**
 * The platform's frozen evaluators and the distribution metrics computed on their outputs.
 *
 * <p>Two networks stand in for the ones the text-to-image literature measures with:
 * {@link io.recap.ml.evaluation.FeatureNetwork} for the Inception network behind FID and KID (an
 * image encoder trained to tag images with the words of their reference captions, whose pooled
 * features are the distribution to compare), and {@link io.recap.ml.evaluation.ContrastiveModel}
 * for the CLIP model behind CLIP score (image and text towers trained with a symmetric InfoNCE
 * loss). Both are generic: they learn from images and texts and know nothing of the world that
 * drew them; they are trained once, published to the model store and then only read.
 *
 * <p>The metrics are plain Java: {@link io.recap.ml.evaluation.FrechetDistance} (FID),
 * {@link io.recap.ml.evaluation.KernelDistance} (KID) and {@link io.recap.ml.evaluation.Bootstrap}
 * confidence intervals for per-prompt outcomes.
 */
package io.recap.ml.evaluation;
