package io.recap.orchestrator.task;

import io.recap.core.messages.TrainingEvent;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns a task's progress reports into PROGRESS events: at most one per interval (the last step
 * always goes), with rate and ETA counted over what this attempt itself did. One per attempt;
 * both task contexts (in-process and in a Kubernetes pod) use it, so both report alike.
 */
public final class ProgressThrottle {

    private final long intervalNanos;
    private long startStep;
    private long startNanos = System.nanoTime();
    private long lastNanos;
    private boolean published;

    /** @param startStep the step this attempt resumes from (0 for a fresh start) */
    public ProgressThrottle(Duration interval, long startStep) {
        this.intervalNanos = interval.toNanos();
        this.startStep = startStep;
    }

    /** This attempt's own work starts at {@code step} (see {@link TaskContext#progressStartsAt}). */
    public synchronized void restartAt(long step) {
        startStep = step;
        startNanos = System.nanoTime();
    }

    /** The event to publish for this report, or empty when it comes too soon after the previous one. */
    public synchronized Optional<TrainingEvent> report(String jobId, int attempt, long step, long totalSteps,
            Double loss) {
        long now = System.nanoTime();
        boolean last = step >= totalSteps;
        if (published && !last && now - lastNanos < intervalNanos) {
            return Optional.empty();
        }
        lastNanos = now;
        published = true;
        double seconds = (now - startNanos) / 1e9;
        // At the attempt's own starting step nothing has been done yet: rate 0, no ETA.
        Double rate = seconds > 0 && step >= startStep ? (step - startStep) / seconds : null;
        Double eta = rate == null || rate == 0 ? null : (totalSteps - step) / rate;
        Double finiteLoss = loss == null || !Double.isFinite(loss) ? null : loss;
        return Optional.of(TrainingEvent.progress(jobId, attempt, step, totalSteps, finiteLoss, rate, eta));
    }
}
