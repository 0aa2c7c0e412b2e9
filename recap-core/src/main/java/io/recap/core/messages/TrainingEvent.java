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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingEvent(
        int schemaVersion,
        String jobId,
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

    public static TrainingEvent progress(String jobId, long step, long totalSteps, Double loss, Double rate,
            Double etaSeconds) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, Type.PROGRESS, step, totalSteps, loss, rate,
                etaSeconds, null, null, null, null, Instant.now());
    }

    public static TrainingEvent checkpoint(String jobId, long step, String checkpointPath) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, Type.CHECKPOINT, step, null, null, null, null,
                checkpointPath, null, null, null, Instant.now());
    }

    public static TrainingEvent metrics(String jobId, Long step, Map<String, Double> metrics) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, Type.METRICS, step, null, null, null, null,
                null, metrics, null, null, Instant.now());
    }

    public static TrainingEvent state(String jobId, JobState state, String message) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, Type.STATE, null, null, null, null, null,
                null, null, state, message, Instant.now());
    }

    public static TrainingEvent log(String jobId, String line) {
        return new TrainingEvent(CURRENT_SCHEMA_VERSION, jobId, Type.LOG, null, null, null, null, null,
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
