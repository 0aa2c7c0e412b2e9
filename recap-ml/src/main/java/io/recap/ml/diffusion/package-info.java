/**
 * The text-to-image diffusion model of RECAP step 3: a learned transformer text encoder
 * ({@link io.recap.ml.diffusion.TextEncoder}, 77-token context, padding masked) and a conditional
 * UNet ({@link io.recap.ml.diffusion.ConditionalUNet}: residual blocks conditioned on the time
 * step and pooled text, spatial transformers with cross-attention to the text tokens), trained
 * together with the DDPM objective on a cosine schedule ({@link io.recap.ml.diffusion.NoiseSchedule},
 * epsilon or v {@link io.recap.ml.diffusion.Prediction}), sampled with DDIM and classifier-free
 * guidance from EMA weights.
 *
 * <p>Entry points: {@link io.recap.ml.diffusion.DiffusionModel} (create, load, save, sample),
 * {@link io.recap.ml.diffusion.DiffusionTrainer} (train, checkpoint, resume), and
 * {@link io.recap.ml.diffusion.DiffusionPublisher} (publish to the model store). Presets:
 * {@link io.recap.ml.diffusion.DiffusionConfig} and {@link io.recap.ml.diffusion.DiffusionTrainingPreset}
 * {@code smoke}, {@code small}, {@code paper}.
 */
package io.recap.ml.diffusion;
