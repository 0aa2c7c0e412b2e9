package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobState;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.scheduling.SchedulerSignal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where attempts end: executors report here, and this decides the job's next state — SUCCEEDED; a
 * retry from the last checkpoint for a transient failure while the attempt budget lasts (the job stays
 * RUNNING and keeps its slot, since JobState has no RUNNING → QUEUED edge); or FAILED with the reason
 * kept. Every decision is a conditional update, so duplicated or late reports change nothing.
 */
public class JobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobLifecycle.class);

    private final JobRepository jobs;
    private final SchedulerSignal signal;
    private final OrchestratorMetrics metrics;
    private final Clock clock;
    private final Duration retryBackoff;
    private final int logKeepLines;

    public JobLifecycle(JobRepository jobs, SchedulerSignal signal, OrchestratorMetrics metrics, Clock clock,
            Duration retryBackoff, int logKeepLines) {
        this.jobs = jobs;
        this.signal = signal;
        this.metrics = metrics;
        this.clock = clock;
        this.retryBackoff = retryBackoff;
        this.logKeepLines = logKeepLines;
    }

    /** Applies an executor's report about attempt {@code attempt} of {@code jobId}. */
    public void attemptFinished(String jobId, int attempt, AttemptOutcome outcome) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null) {
            log.warn("outcome {} for unknown job {}", outcome.status(), jobId);
            return;
        }
        Instant now = clock.instant();
        if (job.state().isTerminal() || job.attempt() != attempt || job.awaitingRetry()) {
            // Cancelled meanwhile, or a late report about an older attempt: keep the record, change nothing else.
            if (jobs.finishAttempt(jobId, attempt, outcome.status().name(), outcome.reason(), now)) {
                metrics.attempt(job.executor(), outcome.status().name());
            }
            return;
        }
        if (job.state() != JobState.RUNNING) {
            log.warn("outcome {} for job {} in state {} ignored", outcome.status(), jobId, job.state());
            return;
        }
        if (!jobs.finishAttempt(jobId, attempt, outcome.status().name(), outcome.reason(), now)) {
            return; // this attempt's end was already applied
        }
        metrics.attempt(job.executor(), outcome.status().name());
        switch (outcome.status()) {
            case SUCCEEDED -> finish(job, JobState.SUCCEEDED, null, "attempt " + attempt + " succeeded");
            case CANCELLED -> finish(job, JobState.CANCELLED, outcome.reason(), "attempt " + attempt + " cancelled: "
                    + outcome.reason());
            case INTERRUPTED -> {
                jobs.scheduleRetry(jobId, attempt, false, now);
                log(jobId, "attempt " + attempt + " interrupted (" + outcome.reason()
                        + "); resuming from the last checkpoint");
            }
            case FAILED -> {
                int failures = job.failedAttempts() + 1;
                if (outcome.transientFailure() && failures < job.maxAttempts()) {
                    Instant next = now.plus(retryBackoff);
                    jobs.scheduleRetry(jobId, attempt, true, next);
                    log(jobId, "attempt " + attempt + " failed (transient): " + outcome.reason() + "; retrying in "
                            + retryBackoff.toMillis() + " ms (" + failures + " of " + job.maxAttempts()
                            + " attempts used)");
                } else {
                    String reason = outcome.transientFailure()
                            ? outcome.reason() + " (gave up after " + failures + " failed attempts)"
                            : outcome.reason();
                    finish(job, JobState.FAILED, reason, "attempt " + attempt + " failed: " + reason);
                }
            }
        }
        signal.wake();
    }

    /**
     * A terminal state reported by the trainer itself ({@code STATE} event) of attempt {@code attempt} (null: a
     * trainer that does not say). It is final: the trainer knows best that it diverged or completed. Returns true if
     * it changed the job; a report from another attempt than the current one changes nothing.
     */
    public boolean trainerReported(String jobId, Integer attempt, JobState state, String message) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null || job.state() != JobState.RUNNING || !state.isTerminal()
                || (attempt != null && attempt != job.attempt())) {
            return false;
        }
        String reason = state == JobState.SUCCEEDED ? null : (message == null ? "reported by the trainer" : message);
        boolean changed = finish(job, state, reason, "trainer reported " + state + (message == null ? "" : ": " + message));
        if (changed && job.attempt() > 0) {
            jobs.finishAttempt(jobId, job.attempt(), state.name(), reason, clock.instant());
        }
        signal.wake();
        return changed;
    }

    /** Fails a job that never got (or lost) an attempt, e.g. its dataset could not be exported. */
    public void fail(String jobId, JobState from, String reason) {
        Job job = jobs.find(jobId).orElse(null);
        if (job != null && job.state() == from) {
            finish(job, JobState.FAILED, reason, "failed: " + reason);
            signal.wake();
        }
    }

    public void log(String jobId, String line) {
        try {
            logOrThrow(jobId, line);
        } catch (RuntimeException e) {
            log.warn("could not store log line of job {}: {}", jobId, e.toString());
        }
    }

    /** Like {@link #log}, but a line that cannot be stored throws, for callers that can try again. */
    public void logOrThrow(String jobId, String line) {
        log.info("job {}: {}", jobId, line);
        jobs.appendLog(jobId, line, clock.instant());
    }

    private boolean finish(Job job, JobState to, String reason, String logLine) {
        if (!jobs.finish(job.jobId(), job.state(), to, reason, clock.instant())) {
            return false;
        }
        log(job.jobId(), logLine);
        jobs.pruneLogs(job.jobId(), logKeepLines);
        return true;
    }
}
