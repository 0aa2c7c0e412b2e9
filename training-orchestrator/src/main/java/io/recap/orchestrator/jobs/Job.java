package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import java.time.Instant;
import java.util.Map;

/**
 * A job as stored. {@code attempt} counts attempts started; {@code failedAttempts} the transient
 * failures spent from the budget of {@code maxAttempts}. A RUNNING job with {@code awaitingRetry} holds
 * its pool slot until its next attempt starts at {@code nextAttemptAt} (JobState has no RUNNING → QUEUED).
 */
public record Job(
        String jobId,
        long seq,
        JobKind kind,
        JobState state,
        String pool,
        int priority,
        JobSpec spec,
        Map<String, String> params,
        String executor,
        int attempt,
        int failedAttempts,
        int maxAttempts,
        boolean awaitingRetry,
        Instant nextAttemptAt,
        Progress progress,
        String snapshotId,
        String failureReason,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /**
     * Last reported progress.
     *
     * @param step steps done
     * @param totalSteps steps in all
     * @param loss training loss at {@code step}
     * @param rate steps per second
     * @param etaSeconds estimated seconds to go
     * @param reportedAt when it was reported
     */
    public record Progress(Long step, Long totalSteps, Double loss, Double rate, Double etaSeconds, Instant reportedAt) {
        public static final Progress NONE = new Progress(null, null, null, null, null, null);
    }
}
