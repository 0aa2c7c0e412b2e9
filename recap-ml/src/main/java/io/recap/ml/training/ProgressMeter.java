package io.recap.ml.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records step losses and reports loss, steps/s, ETA and memory every {@code reportEvery} steps. */
public final class ProgressMeter {

    private static final Logger log = LoggerFactory.getLogger(ProgressMeter.class);
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final String name;
    private final int totalSteps;
    private final int reportEvery;
    private final Consumer<TrainingProgress> listener;
    private final float[] losses;
    private int steps;
    private int skipped;
    private int stepsAtLastReport;
    private long nanosAtLastReport = System.nanoTime();
    private double lossSinceReport;

    public ProgressMeter(String name, int totalSteps, int reportEvery, Consumer<TrainingProgress> listener) {
        this.name = name;
        this.totalSteps = totalSteps;
        this.reportEvery = Math.max(1, reportEvery);
        this.listener = listener;
        this.losses = new float[totalSteps];
    }

    /** Records one step; reports when a report is due. */
    public void record(StepOutcome outcome, float learningRate) {
        losses[steps++] = outcome.loss();
        if (!outcome.applied()) {
            skipped++;
            log.warn("{}: step {} skipped, loss {} gradient norm {}", name, steps, outcome.loss(),
                    outcome.gradientNorm());
        } else {
            lossSinceReport += outcome.loss();
        }
        if (steps % reportEvery == 0 || steps == totalSteps) {
            report(learningRate);
        }
    }

    private void report(float learningRate) {
        long now = System.nanoTime();
        int stepsSince = steps - stepsAtLastReport;
        double seconds = Math.max(1e-9, (now - nanosAtLastReport) / 1e9);
        double stepsPerSecond = stepsSince / seconds;
        Duration remaining = Duration.ofMillis((long) ((totalSteps - steps) / stepsPerSecond * 1000));
        TrainingProgress progress = new TrainingProgress(steps, totalSteps,
                (float) (lossSinceReport / Math.max(1, stepsSince)), learningRate, stepsPerSecond, remaining,
                skipped, residentBytes());
        log.info("{}: {}", name, progress);
        listener.accept(progress);
        stepsAtLastReport = steps;
        nanosAtLastReport = now;
        lossSinceReport = 0;
    }

    /** Losses of the steps recorded so far. */
    public float[] losses() {
        return java.util.Arrays.copyOf(losses, steps);
    }

    public int skippedSteps() {
        return skipped;
    }

    /** Resident set size from /proc (Linux), 0 elsewhere. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no procfs: memory is simply not reported.
        }
        return 0;
    }
}
