package io.recap.orchestrator.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it.
 *
 * @param progress steps done of total, rate (steps/s), ETA
 * @param lastCheckpoint newest recorded checkpoint (resume point)
 * @param metrics latest value of every metric
 * @param attempts every attempt with its executor, resume step, outcome and reason
 * @param queueWaitMs time from submission to start
 * @param logTail the last log lines (only on {@code GET /jobs/{id}})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String jobId,
        JobKind kind,
        JobState state,
        String pool,
        int priority,
        String executor,
        JobSpec spec,
        Map<String, String> params,
        ProgressView progress,
        CheckpointView lastCheckpoint,
        Map<String, JobRepository.MetricValue> metrics,
        int attempt,
        int maxAttempts,
        int failedAttempts,
        boolean awaitingRetry,
        Instant nextAttemptAt,
        String failureReason,
        String snapshotId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long queueWaitMs,
        List<JobAttempt> attempts,
        List<String> logTail) {

    /**
     * @param done steps done
     * @param total steps in all
     * @param fraction done / total
     * @param rate steps per second over the current attempt
     * @param etaSeconds estimated seconds to go
     * @param loss last reported loss
     * @param updatedAt when progress was last reported
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProgressView(Long done, Long total, Double fraction, Double rate, Double etaSeconds, Double loss,
            Instant updatedAt) {
    }

    public record CheckpointView(long step, String path) {
    }
}
