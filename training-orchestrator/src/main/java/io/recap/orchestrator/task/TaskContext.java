package io.recap.orchestrator.task;

import io.recap.core.domain.JobKind;
import io.recap.core.model.ModelStore;
import io.recap.core.store.LocalBlobStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TrainingTask} gets from the executor for one attempt of one job. Progress, checkpoints
 * and metrics become {@code recap.training.events} (the same way a trainer in a Kubernetes pod reports),
 * so the orchestrator has one path by which progress arrives. Thread-safe.
 */
public interface TaskContext {

    String jobId();

    JobKind kind();

    /** 1 for the first attempt; retries and resumes after a restart count up. */
    int attempt();

    /** Free-form overrides from the job request ({@code params}), e.g. {@code steps=20}. */
    Map<String, String> params();

    /** The shared store (model versions, snapshots, checkpoints). */
    LocalBlobStore store();

    ModelStore models();

    /**
     * Store key of the dataset snapshot this job trains on ({@code snapshots/{id}}, holding
     * {@code snapshot.json} and {@code part-NNNN.jsonl}); present for T2I_FINETUNE.
     */
    Optional<String> snapshotKey();

    /** This job's checkpoint directory (inside the store, so it survives restarts); exists. */
    Path checkpointDirectory();

    /** The newest checkpoint recorded for this job by any earlier attempt: resume from it. */
    Optional<Checkpoint> lastCheckpoint();

    /**
     * Reports progress: {@code step} of {@code totalSteps} done. Rate (steps/s over this attempt) and
     * ETA are derived here. Published at most every {@code recap.executor.local.progress-interval},
     * and always for the last step.
     */
    void progress(long step, long totalSteps, Double loss);

    /**
     * Says that this attempt's own work starts at {@code step} (for instance a task that skips what an earlier
     * job or attempt already did), so that rate and ETA count only what this attempt does. Call it before the
     * first {@link #progress}; without it they count from the resumed checkpoint's step, or 0.
     */
    default void progressStartsAt(long step) {
    }

    /** Announces a complete checkpoint at {@code step} in {@code directory} (inside the store). Synchronous. */
    void checkpoint(long step, Path directory);

    /** Reports metrics, at a step or (null) for the run as a whole. */
    void metrics(Long step, Map<String, Double> metrics);

    /** A line for the job's log tail. */
    void log(String line);

    boolean isCancelled();

    /** Throws {@link java.util.concurrent.CancellationException} if cancelled or interrupted. */
    void throwIfCancelled();
}
