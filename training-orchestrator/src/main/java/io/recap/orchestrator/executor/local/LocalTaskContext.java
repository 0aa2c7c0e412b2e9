package io.recap.orchestrator.executor.local;

import io.recap.core.domain.JobKind;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.core.model.ModelStore;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.task.Checkpoint;
import io.recap.orchestrator.task.ProgressThrottle;
import io.recap.orchestrator.task.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TaskContext} of one local attempt. Progress, checkpoints and metrics are published as
 * {@code recap.training.events}, exactly as a trainer in a Kubernetes pod publishes them, and consumed
 * by the orchestrator's own listener: one path for progress, whatever the executor.
 */
final class LocalTaskContext implements TaskContext {

    private static final Logger log = LoggerFactory.getLogger(LocalTaskContext.class);

    private final ExecutionRequest request;
    private final LocalBlobStore store;
    private final ModelStore models;
    private final EventPublisher events;
    private final BiConsumer<String, String> jobLog;
    private final ProgressThrottle progress;
    private final Path checkpointDirectory;
    private final Checkpoint lastCheckpoint;
    private volatile boolean cancelled;
    private volatile long lastCheckpointPublished = -1;
    private volatile long lastProgressPublished = -1;

    LocalTaskContext(ExecutionRequest request, LocalBlobStore store, ModelStore models, EventPublisher events,
            BiConsumer<String, String> jobLog, Duration progressInterval) {
        this.request = request;
        this.store = store;
        this.models = models;
        this.events = events;
        this.jobLog = jobLog;
        this.checkpointDirectory = store.resolve(request.checkpointKey());
        try {
            Files.createDirectories(checkpointDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + checkpointDirectory, e);
        }
        this.lastCheckpoint = request.resumeStep() == null ? null
                : new Checkpoint(request.resumeStep(), request.resumeCheckpointKey(),
                        store.resolve(request.resumeCheckpointKey()));
        this.progress = new ProgressThrottle(progressInterval, request.resumeStep() == null ? 0 : request.resumeStep());
    }

    @Override
    public String jobId() {
        return request.jobId();
    }

    @Override
    public JobKind kind() {
        return request.kind();
    }

    @Override
    public int attempt() {
        return request.attempt();
    }

    @Override
    public Map<String, String> params() {
        return request.params();
    }

    @Override
    public LocalBlobStore store() {
        return store;
    }

    @Override
    public ModelStore models() {
        return models;
    }

    @Override
    public Optional<String> snapshotKey() {
        return Optional.ofNullable(request.snapshotKey());
    }

    @Override
    public Path checkpointDirectory() {
        return checkpointDirectory;
    }

    @Override
    public Optional<Checkpoint> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    @Override
    public void progressStartsAt(long step) {
        progress.restartAt(step);
    }

    @Override
    public void progress(long step, long totalSteps, Double loss) {
        progress.report(request.jobId(), request.attempt(), step, totalSteps, loss).ifPresent(event -> {
            lastProgressPublished = Math.max(lastProgressPublished, step);
            events.publish(Topics.TRAINING_EVENTS, event).whenComplete((result, error) -> {
                if (error != null) {
                    log.warn("job {}: progress event lost: {}", request.jobId(), error.toString());
                }
            });
        });
    }

    @Override
    public void checkpoint(long step, Path directory) {
        Path normalized = directory.toAbsolutePath().normalize();
        if (!normalized.startsWith(store.root())) {
            throw new IllegalArgumentException("checkpoint " + directory + " is outside the store " + store.root());
        }
        String key = store.root().relativize(normalized).toString().replace(normalized.getFileSystem().getSeparator(), "/");
        try {
            events.publishAndWait(Topics.TRAINING_EVENTS,
                    TrainingEvent.checkpoint(request.jobId(), request.attempt(), step, key));
            lastCheckpointPublished = Math.max(lastCheckpointPublished, step);
        } catch (EventPublisher.EventPublishException e) {
            // The checkpoint is on disk; only its record is missing, so a resume would start from an older one.
            log.warn("job {}: checkpoint event at step {} not published: {}", request.jobId(), step, e.getMessage());
        }
    }

    @Override
    public void metrics(Long step, Map<String, Double> metrics) {
        events.publish(Topics.TRAINING_EVENTS, TrainingEvent.metrics(request.jobId(), request.attempt(), step, metrics))
                .whenComplete((result, error) -> {
                    if (error != null) {
                        log.warn("job {}: metrics event lost: {}", request.jobId(), error.toString());
                    }
                });
    }

    @Override
    public void log(String line) {
        jobLog.accept(request.jobId(), line);
    }

    @Override
    public boolean isCancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    @Override
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("job " + request.jobId() + " was cancelled or interrupted");
        }
    }

    /** Step of the newest progress event this attempt published, or -1. */
    long lastProgressPublished() {
        return lastProgressPublished;
    }

    /** Step of the newest checkpoint event this attempt published, or -1. */
    long lastCheckpointPublished() {
        return lastCheckpointPublished;
    }

    void cancel() {
        cancelled = true;
    }
}
