package io.recap.orchestrator.trainer;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.TrainingEvent;
import io.recap.core.model.ModelStore;
import io.recap.core.store.LocalBlobStore;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TaskContext} of a trainer pod: the same {@code TrainingEvent}s a local attempt publishes (progress
 * throttled, with rate and ETA; checkpoints synchronously; metrics), sent straight to {@code recap.training.events}
 * with key jobId by a plain Kafka producer. Every event carries the pod's attempt ({@code RECAP_JOB_ATTEMPT}), so
 * the orchestrator drops what this pod still sends once the job has moved on to a later attempt. Log lines go to
 * the pod's standard output and, as {@code LOG} events, to the job's log.
 */
final class KafkaTaskContext implements TaskContext {

    private static final Logger log = LoggerFactory.getLogger(KafkaTaskContext.class);

    private final TrainerEnvironment environment;
    private final Producer<String, byte[]> producer;
    private final MessageCodec codec = new MessageCodec();
    private final LocalBlobStore store;
    private final ModelStore models;
    private final Checkpoint lastCheckpoint;
    private final ProgressThrottle progress;
    private final Duration sendTimeout;
    private volatile boolean cancelled;

    KafkaTaskContext(TrainerEnvironment environment, Producer<String, byte[]> producer, Duration progressInterval,
            Duration sendTimeout) {
        this.environment = environment;
        this.producer = producer;
        this.sendTimeout = sendTimeout;
        this.store = new LocalBlobStore(environment.store());
        this.models = new ModelStore(store);
        try {
            Files.createDirectories(environment.checkpointDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory " + environment.checkpointDirectory(), e);
        }
        this.lastCheckpoint = environment.resumeStep() == null ? null : new Checkpoint(environment.resumeStep(),
                environment.storeKey(environment.resumeCheckpoint()), environment.resumeCheckpoint());
        this.progress = new ProgressThrottle(progressInterval,
                environment.resumeStep() == null ? 0 : environment.resumeStep());
    }

    @Override
    public String jobId() {
        return environment.jobId();
    }

    @Override
    public JobKind kind() {
        return environment.kind();
    }

    @Override
    public int attempt() {
        return environment.attempt();
    }

    @Override
    public Map<String, String> params() {
        return environment.params();
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
        return Optional.ofNullable(environment.snapshot()).map(environment::storeKey);
    }

    @Override
    public Path checkpointDirectory() {
        return environment.checkpointDirectory();
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
        progress.report(jobId(), attempt(), step, totalSteps, loss).ifPresent(this::sendAsync);
    }

    @Override
    public void checkpoint(long step, Path directory) {
        Path normalized = directory.toAbsolutePath().normalize();
        if (!normalized.startsWith(environment.store())) {
            throw new IllegalArgumentException("checkpoint " + directory + " is outside the store " + environment.store());
        }
        try {
            send(TrainingEvent.checkpoint(jobId(), attempt(), step, environment.storeKey(normalized)));
        } catch (EventSendException e) {
            // The checkpoint is on disk; only its record is missing, so a retry would resume from an older one.
            log.warn("job {}: checkpoint event at step {} not published: {}", jobId(), step, e.getMessage());
        }
    }

    @Override
    public void metrics(Long step, Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        sendAsync(TrainingEvent.metrics(jobId(), attempt(), step, metrics));
    }

    @Override
    public void log(String line) {
        log.info("job {}: {}", jobId(), line);
        if (line != null && !line.isBlank()) {
            sendAsync(TrainingEvent.log(jobId(), attempt(), line));
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled || Thread.currentThread().isInterrupted();
    }

    @Override
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancellationException("job " + jobId() + " was stopped (SIGTERM or interrupted)");
        }
    }

    /** Reports how the attempt ended; final for SUCCEEDED and FAILED. Waits for the broker. */
    void reportState(JobState state, String message) throws EventSendException {
        producer.flush();
        send(TrainingEvent.state(jobId(), attempt(), state, message));
    }

    void cancel() {
        cancelled = true;
    }

    private void sendAsync(TrainingEvent event) {
        producer.send(record(event), (metadata, error) -> {
            if (error != null) {
                log.warn("job {}: {} event lost: {}", jobId(), event.type(), error.toString());
            }
        });
    }

    private void send(TrainingEvent event) throws EventSendException {
        try {
            producer.send(record(event)).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventSendException("interrupted while publishing " + event.type(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new EventSendException("could not publish " + event.type() + " to " + environment.eventsTopic()
                    + ": " + cause, cause);
        }
    }

    private ProducerRecord<String, byte[]> record(TrainingEvent event) {
        return new ProducerRecord<>(environment.eventsTopic(), event.key(), codec.encode(event));
    }

    /** An event could not be delivered within the timeout. */
    static final class EventSendException extends Exception {
        EventSendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
