/**
 * RECAP step 3 as a training task: T2I_FINETUNE reads the job's dataset snapshot and trains recap-ml's
 * text-to-image model (text encoder and UNet) on the relabelled captions, with checkpoints, resume and publication.
 */
package io.recap.orchestrator.diffusion;
