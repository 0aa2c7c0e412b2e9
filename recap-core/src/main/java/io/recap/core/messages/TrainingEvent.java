package io.recap.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.JobState;
import io.recap.core.domain.Require;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a trainer reports about a job. One record for all event types keeps the topic single-typed;
 * which optional fields are required depends on {@link Type} and is checked here, not by consumers.
 *
 * <p>{@code attempt} is the job attempt (1, 2, ...) whose trainer sent the event, so that the orchestrator can
 * drop what a stale attempt still reports after the job moved on. It is optional only so that events from
 * trainers written before the field existed still decode; every producer in this repository sets it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingEvent(
        int schemaVersion,
        String jobId,
        Integer attempt,
        Type type,
        Long step,
        Long totalSteps,
        Double loss,
        Double rate,
        Double etaSeconds,
        String checkpointPath,
        Map<String, Double> metrics,
        JobState state,
        String message,
        Instant timestamp) implements RecapMessage {

    public enum Type {
        /** step and totalSteps required; loss, rate (steps/s) and etaSeconds optional. */
        PROGRESS,
        /** step and checkpointPath (a store key) required. */
        CHECKPOINT,
        /** non-empty metrics required. */
        METRICS,
        /** state required; message optional (the failure cause, for FAILED). */
        STATE,
        /** message required: a line for the job's log (what the task did, from a trainer in another process). */
        LOG
    }

    public TrainingEvent {
        RecapMessage.requireSupportedVersion(schemaVersion);
        Require.safeId(jobId, "jobId");
        if (attempt != null) {
            Require.that(attempt >= 1, "attempt must be >= 1 but was " + attempt);
        }
        Require.present(type, "type");
        Require.present(timestamp, "timestamp");
        if (step != null) {
            Require.nonNegative(step, "step");
        }
        if (totalSteps != null) {
            Require.that(totalSteps > 0, "totalSteps must be > 0 but was " + totalSteps);
            Require.that(step == null || step <= totalSteps, "step " + step + " exceeds totalSteps " + totalSteps);
        }
        requireFiniteIfPresent(loss, "loss");
        if (rate != null) {
            Require.finiteNonNegative(rate, "rate");
        }
        if (etaSeconds != null) {
            Require.finiteNonNegative(etaSeconds, "etaSeconds");
        }
        Require.noNullEntries(metrics, "metrics");
        metrics = metrics == null || metrics.isEmpty() ? null : Collections.unmodifiableMap(new TreeMap<>(metrics));
        if (metrics != null) {
            metrics.forEach((name, value) -> requireFiniteIfPresent(value, "metric " + name));
        }
        switch (type) {
            case PROGRESS -> {
                Require.present(step, "step");
                Require.present(totalSteps, "totalSteps");
            }
            case CHECKPOINT -> {
                Require.present(step, "step");
                Require.text(checkpointPath, "checkpointPath");
            }
            case METRICS -> Require.that(metrics != null, "metrics must not be empty for a METRICS event");
            case STATE -> Require.present(state, "state");
            case LOG -> Require.text(message, "message");
        }
    }

    public static TrainingEvent progress(String jobId, int attempt, long step, long totalSteps, Double loss,
            Double rate, Double etaSeconds) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, attempt, Type.PROGRESS, step, totalSteps, loss, rate,
                etaSeconds, null, null, null, null, Instant.now());
    }

    public static TrainingEvent checkpoint(String jobId, int attempt, long step, String checkpointPath) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, attempt, Type.CHECKPOINT, step, null, null, null, null,
                checkpointPath, null, null, null, Instant.now());
    }

    public static TrainingEvent metrics(String jobId, int attempt, Long step, Map<String, Double> metrics) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, attempt, Type.METRICS, step, null, null, null, null,
                null, metrics, null, null, Instant.now());
    }

    public static TrainingEvent state(String jobId, int attempt, JobState state, String message) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, attempt, Type.STATE, null, null, null, null, null,
                null, null, state, message, Instant.now());
    }

    public static TrainingEvent log(String jobId, int attempt, String line) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, attempt, Type.LOG, null, null, null, null, null,
                null, null, null, line, Instant.now());
    }

    @Override
    public String key() {
        return jobId;
    }

    /** Non-finite numbers are not valid JSON and would break consumers; a diverged run reports FAILED instead. */
    private static void requireFiniteIfPresent(Double value, String field) {
        Require.that(value == null || Double.isFinite(value), field + " must be finite but was " + value);
    }
}
