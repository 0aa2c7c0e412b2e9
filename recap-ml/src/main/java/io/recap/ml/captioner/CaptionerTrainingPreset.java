package io.recap.ml.captioner;

import java.util.Locale;

/**
 * Captioner training hyper-parameters.
 *
 * @param name preset name, used in logs
 * @param steps optimisation steps
 * @param batchSize examples per step
 * @param learningRate peak Adam learning rate, reached after warm-up
 * @param finalLearningRate learning rate at the end of the cosine decay
 * @param warmupSteps linear warm-up steps
 * @param maxGradientNorm global gradient-norm clip
 * @param dropout residual dropout while training
 * @param reportEvery steps between progress reports
 * @param seed seed for dropout masks
 */
public record CaptionerTrainingPreset(
        String name,
        int steps,
        int batchSize,
        float learningRate,
        float finalLearningRate,
        int warmupSteps,
        float maxGradientNorm,
        float dropout,
        int reportEvery,
        int seed) {

    public CaptionerTrainingPreset {
        if (steps <= 0 || batchSize <= 0 || learningRate <= 0 || warmupSteps < 0 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("invalid training preset " + name);
        }
    }

    /** Seconds on the smoke captioner: for tests. */
    public static CaptionerTrainingPreset smoke() {
        return new CaptionerTrainingPreset("smoke", 200, 32, 2e-3f, 1e-4f, 20, 1f, 0.1f, 25, 7);
    }

    /**
     * Minutes on 2 CPU cores with the small captioner (measured 3.8 steps/s on one busy core,
     * so about 4-5 minutes; one-object scenes were captioned exactly after 60 steps).
     */
    public static CaptionerTrainingPreset small() {
        return new CaptionerTrainingPreset("small", 1000, 32, 1e-3f, 5e-5f, 50, 1f, 0.1f, 50, 7);
    }

    /** The RECAP paper's captioner fine-tuning: 300 steps, lr 4e-5, batch 64, dropout 0.1. */
    public static CaptionerTrainingPreset paper() {
        return new CaptionerTrainingPreset("paper", 300, 64, 4e-5f, 4e-6f, 30, 1f, 0.1f, 25, 7);
    }

    public static CaptionerTrainingPreset byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke();
            case "small" -> small();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown preset " + name + "; use smoke, small or paper");
        };
    }

    public CaptionerTrainingPreset withSteps(int newSteps) {
        return new CaptionerTrainingPreset(name, newSteps, batchSize, learningRate, finalLearningRate,
                Math.min(warmupSteps, newSteps), maxGradientNorm, dropout, reportEvery, seed);
    }

    public CaptionerTrainingPreset withLearningRate(float peak, float last) {
        return new CaptionerTrainingPreset(name, steps, batchSize, peak, last, warmupSteps, maxGradientNorm,
                dropout, reportEvery, seed);
    }
}
