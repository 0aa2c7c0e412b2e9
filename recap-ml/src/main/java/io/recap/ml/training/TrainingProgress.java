package io.recap.ml.training;

import java.time.Duration;

/**
 * A progress report, emitted every few steps and at the end of training.
 *
 * @param step steps done so far
 * @param totalSteps steps planned
 * @param loss mean loss over the steps since the previous report
 * @param learningRate learning rate of the latest step
 * @param stepsPerSecond throughput since the previous report
 * @param remaining estimated time to finish at that throughput
 * @param skippedSteps steps skipped so far because of non-finite gradients
 * @param residentBytes resident memory of this process (0 where unknown)
 */
public record TrainingProgress(
        int step,
        int totalSteps,
        float loss,
        float learningRate,
        double stepsPerSecond,
        Duration remaining,
        int skippedSteps,
        long residentBytes) {

    public boolean finished() {
        return step >= totalSteps;
    }

    @Override
    public String toString() {
        return String.format("step %d/%d loss %.4f lr %.2e %.2f steps/s ETA %ds skipped %d rss %d MB",
                step, totalSteps, loss, learningRate, stepsPerSecond, remaining.toSeconds(), skippedSteps,
                residentBytes >> 20);
    }
}
