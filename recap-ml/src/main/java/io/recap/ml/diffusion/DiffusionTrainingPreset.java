package io.recap.ml.diffusion;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Text-to-image training hyper-parameters.
 *
 * @param name preset name, used in logs and manifests
 * @param steps optimisation steps in total (a resumed run continues up to this count)
 * @param batchSize images per step
 * @param learningRate peak Adam learning rate, reached after warm-up
 * @param finalLearningRate learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps
 * @param maxGradientNorm global gradient-norm clip
 * @param emaDecay decay of the exponential moving average of the weights used for sampling
 * @param promptDropout probability that a training caption is replaced by the empty prompt,
 *     which teaches the unconditional model classifier-free guidance needs (the paper's 0.14)
 * @param foregroundWeight loss weight of the pixels that differ from their image's most common
 *     colour (the background), relative to 1 for the rest; the loss is normalised by the mean
 *     weight. Small objects on a flat background are a few percent of the pixels, so a plain
 *     mean barely rewards drawing them and the prompt's objects are learned last (measured:
 *     after 1,500 steps a model placed nothing the prompt asked for). 1 is the plain DDPM loss;
 *     on photographs, where no colour dominates, any weight comes out close to it.
 * @param finalForegroundWeight the weight at the last step: the weight falls from {@code foregroundWeight} to it
 *     along a half cosine ({@link #foregroundWeightAt}); equal to {@code foregroundWeight} for a constant weight
 * @param reportEvery steps between progress reports
 * @param sampleEvery steps between sample grids of the fixed prompts (0: never)
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 * @param seed seed of batch order, caption styles, dropout, time steps and noise
 * @param textPretrainSteps steps of {@link ContrastiveTextPretraining} on the training images and
 *     captions before step 1 of a model trained from scratch (0: the text encoder starts from random
 *     weights; a warm start or a resumed run keeps the text encoder it has). Stable Diffusion's
 *     text encoder arrives pretrained; ours, trained from scratch by the denoising loss alone, had
 *     not learned where LONG captions put an object after 3,000 steps (docs/diffusion)
 */
public record DiffusionTrainingPreset(
        String name,
        int steps,
        int batchSize,
        float learningRate,
        float finalLearningRate,
        int warmupSteps,
        float maxGradientNorm,
        float emaDecay,
        float promptDropout,
        float foregroundWeight,
        float finalForegroundWeight,
        int reportEvery,
        int sampleEvery,
        int checkpointEvery,
        long seed,
        int textPretrainSteps) {

    public DiffusionTrainingPreset {
        if (steps <= 0 || batchSize <= 0 || learningRate <= 0 || finalLearningRate < 0 || warmupSteps < 0
                || emaDecay < 0 || emaDecay >= 1 || promptDropout < 0 || promptDropout >= 1 || !(foregroundWeight >= 1)
                || !(finalForegroundWeight >= 1)
                || reportEvery <= 0
                || sampleEvery < 0 || checkpointEvery < 0 || textPretrainSteps < 0) {
            throw new IllegalArgumentException("invalid training preset " + name);
        }
    }

    /** Foreground loss weight of the smoke and small presets (see the record's parameters). */
    public static final float FOREGROUND_WEIGHT = 10f;

    /** Seconds, for tests: 60 steps of 8 images on the smoke model. */
    public static DiffusionTrainingPreset smoke() {
        return new DiffusionTrainingPreset("smoke", 60, 8, 2e-3f, 2e-4f, 5, 1f, 0.9f, 0.14f, FOREGROUND_WEIGHT,
                FOREGROUND_WEIGHT, 20, 0, 0, 7, 0);
    }

    /**
     * About 45 minutes of one CPU core with the small model: the recipe DJL-NOTES measured to
     * work at this scale (Adam 1e-3, warm-up and cosine decay, EMA 0.998), batch 32, 10,000 steps
     * after 2,000 steps of contrastive text-encoder pretraining (a few minutes). docs/diffusion:
     * overall success 75.0% at 10,000 steps with the default guidance 3 (61.8% at 1.5), 5.6% at
     * 5,000 (guidance 1.5).
     */
    public static DiffusionTrainingPreset small() {
        return new DiffusionTrainingPreset("small", 10_000, 32, 1e-3f, 5e-5f, 100, 1f, 0.998f, 0.14f, FOREGROUND_WEIGHT,
                FOREGROUND_WEIGHT, 100, 1000, 500, 7, 2000);
    }

    /**
     * The RECAP paper's text-to-image fine-tuning (SD v1.4): 250k steps, lr 1e-5, batch 512,
     * prompt dropout 0.14, EMA 0.9999; for a GPU cluster.
     */
    public static DiffusionTrainingPreset paper() {
        return new DiffusionTrainingPreset("paper", 250_000, 512, 1e-5f, 1e-5f, 1000, 1f, 0.9999f, 0.14f, 1f, 1f, 100,
                5000, 5000, 7, 0);
    }

    public static DiffusionTrainingPreset byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke();
            case "small" -> small();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown preset " + name + "; use smoke, small or paper");
        };
    }

    public DiffusionTrainingPreset withSteps(int total) {
        return new DiffusionTrainingPreset(name, total, batchSize, learningRate, finalLearningRate,
                Math.min(warmupSteps, total), maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery,
                sampleEvery, checkpointEvery, seed, textPretrainSteps);
    }

    public DiffusionTrainingPreset withSchedule(int reportSteps, int sampleSteps, int checkpointSteps) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportSteps, sampleSteps, checkpointSteps,
                seed, textPretrainSteps);
    }

    public DiffusionTrainingPreset withSeed(long newSeed) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery, sampleEvery, checkpointEvery,
                newSeed, textPretrainSteps);
    }

    public DiffusionTrainingPreset withForegroundWeight(float weight) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, weight, weight, reportEvery, sampleEvery, checkpointEvery, seed,
                textPretrainSteps);
    }

    /**
     * The same preset with a foreground weight that falls from {@code start} at step 0 to {@code end} at the last
     * step along a half cosine, as the learning rate does. A fine-tune wants the weight high while it learns the
     * prompt's objects and colours, and low by the end, because a high weight biases the finished model towards
     * painting objects wherever a caption leaves the layout open (docs/diffusion, crowding).
     */
    public DiffusionTrainingPreset withForegroundWeight(float start, float end) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, start, end, reportEvery, sampleEvery, checkpointEvery, seed,
                textPretrainSteps);
    }

    /** The foreground weight of (1-based) step {@code step}: constant unless {@link #finalForegroundWeight} differs. */
    public float foregroundWeightAt(int step) {
        if (finalForegroundWeight == foregroundWeight) {
            return foregroundWeight;
        }
        double progress = Math.min(1, Math.max(0, (step - 1) / (double) Math.max(1, steps - 1)));
        return (float) (finalForegroundWeight
                + (foregroundWeight - finalForegroundWeight) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    public DiffusionTrainingPreset withBatchSize(int size) {
        return new DiffusionTrainingPreset(name, steps, size, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery, sampleEvery, checkpointEvery,
                seed, textPretrainSteps);
    }

    /**
     * The same preset with another Adam schedule: peak rate, final rate of the cosine decay and warm-up steps (capped
     * at the preset's steps). A fine-tune of a pretrained base wants a lower peak than training from scratch.
     */
    public DiffusionTrainingPreset withLearningRate(float peak, float last, int warmup) {
        return new DiffusionTrainingPreset(name, steps, batchSize, peak, last, Math.min(warmup, steps),
                maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery, sampleEvery, checkpointEvery,
                seed, textPretrainSteps);
    }

    /**
     * The same preset with another EMA decay. The EMA copy starts at the base's weights, so a short fine-tune needs
     * a decay whose horizon (about {@code 1 / (1 - decay)} steps) is well below its step count, or the published
     * weights stay mostly the base's.
     */
    public DiffusionTrainingPreset withEmaDecay(float decay) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, decay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery, sampleEvery, checkpointEvery,
                seed, textPretrainSteps);
    }

    /** The same preset with {@code contrastiveSteps} of text-encoder pretraining (0: none). */
    public DiffusionTrainingPreset withTextPretraining(int contrastiveSteps) {
        return new DiffusionTrainingPreset(name, steps, batchSize, learningRate, finalLearningRate, warmupSteps,
                maxGradientNorm, emaDecay, promptDropout, foregroundWeight, finalForegroundWeight, reportEvery, sampleEvery, checkpointEvery,
                seed, contrastiveSteps);
    }

    /** The hyper-parameters as flat key/value pairs, for a model manifest. */
    public Map<String, Object> describe() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("preset", name);
        values.put("steps", steps);
        values.put("batchSize", batchSize);
        values.put("optimizer", "adam");
        values.put("learningRate", learningRate);
        values.put("finalLearningRate", finalLearningRate);
        values.put("warmupSteps", warmupSteps);
        values.put("maxGradientNorm", maxGradientNorm);
        values.put("emaDecay", emaDecay);
        values.put("promptDropout", promptDropout);
        values.put("foregroundWeight", foregroundWeight);
        values.put("finalForegroundWeight", finalForegroundWeight);
        values.put("seed", seed);
        values.put("textPretrainSteps", textPretrainSteps);
        return values;
    }
}
