package io.recap.ml.training;

import java.time.Duration;

/**
 * What a training run did.
 *
 * @param steps steps run
 * @param skippedSteps steps whose update was skipped for non-finite gradients
 * @param losses per-step losses
 * @param duration wall time of the run
 */
public record TrainingReport(int steps, int skippedSteps, float[] losses, Duration duration) {

    public double stepsPerSecond() {
        return steps / Math.max(1e-9, duration.toNanos() / 1e9);
    }

    /** Mean loss of the first {@code fraction} of steps (at least one step). */
    public float initialLoss(double fraction) {
        return mean(0, Math.max(1, (int) (losses.length * fraction)));
    }

    /** Mean loss of the last {@code fraction} of steps (at least one step). */
    public float finalLoss(double fraction) {
        return mean(losses.length - Math.max(1, (int) (losses.length * fraction)), losses.length);
    }

    private float mean(int from, int to) {
        double sum = 0;
        int count = 0;
        for (int i = Math.max(0, from); i < Math.min(to, losses.length); i++) {
            if (Float.isFinite(losses[i])) {
                sum += losses[i];
                count++;
            }
        }
        return count == 0 ? Float.NaN : (float) (sum / count);
    }

    @Override
    public String toString() {
        return String.format("%d steps (%d skipped) in %.1fs, %.2f steps/s, loss %.4f -> %.4f", steps,
                skippedSteps, duration.toMillis() / 1000.0, stepsPerSecond(), initialLoss(0.05), finalLoss(0.05));
    }
}
