package io.recap.ml.training;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate that rises linearly for {@code warmupSteps}, then follows a half cosine from
 * the peak down to {@code finalRate} at {@code totalSteps}, and stays there.
 */
public record WarmupCosineSchedule(float peakRate, float finalRate, int warmupSteps, int totalSteps)
        implements Tracker {

    public WarmupCosineSchedule {
        if (peakRate <= 0 || finalRate < 0 || warmupSteps < 0 || totalSteps <= 0) {
            throw new IllegalArgumentException("invalid schedule " + peakRate + ", " + finalRate + ", "
                    + warmupSteps + ", " + totalSteps);
        }
    }

    /**
     * @param update the optimizer's update count; DJL counts from 1
     */
    @Override
    public float getNewValue(int update) {
        int step = Math.max(0, update - 1);
        if (step < warmupSteps) {
            return peakRate * (step + 1) / warmupSteps;
        }
        // The last planned step (index totalSteps - 1) lands exactly on the final rate.
        int decaySteps = Math.max(1, totalSteps - warmupSteps - 1);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        return (float) (finalRate + (peakRate - finalRate) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
