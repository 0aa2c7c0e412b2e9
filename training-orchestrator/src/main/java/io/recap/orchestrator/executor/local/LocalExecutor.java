package io.recap.orchestrator.executor.local;

import io.recap.core.model.ModelStore;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.config.LocalExecutorProperties;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.ExecutorStartException;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.jobs.Job;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.orchestrator.task.TrainingTaskRegistry;
import io.recap.orchestrator.task.TransientTaskException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs {@link TrainingTask}s in this process on a bounded thread pool. On shutdown running tasks are
 * interrupted and their jobs left RUNNING, so the next start resumes them from their last checkpoint.
 */
public class LocalExecutor implements JobExecutor, DisposableBean {

    public static final String NAME = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);

    private final TrainingTaskRegistry tasks;
    private final JobLifecycle lifecycle;
    private final JobRepository jobs;
    private final EventPublisher events;
    private final LocalBlobStore store;
    private final ModelStore models;
    private final LocalExecutorProperties properties;
    private final ThreadPoolExecutor pool;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    private record Running(int attempt, LocalTaskContext context, Future<?> future) {
    }

    public LocalExecutor(TrainingTaskRegistry tasks, JobLifecycle lifecycle, JobRepository jobs, EventPublisher events,
            LocalBlobStore store, ModelStore models, LocalExecutorProperties properties) {
        this.tasks = tasks;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.events = events;
        this.store = store;
        this.models = models;
        this.properties = properties;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(properties.threads(), properties.threads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(properties.threads() * 4), r -> {
                    Thread thread = new Thread(r, "recap-local-task-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String start(ExecutionRequest request) throws ExecutorStartException {
        if (shuttingDown) {
            throw new ExecutorStartException("the local executor is shutting down", true, null);
        }
        TrainingTask task = tasks.find(request.kind()).orElseThrow(() -> new ExecutorStartException(
                "no TrainingTask bean for " + request.kind() + " is registered with the local executor", false, null));
        LocalTaskContext context = new LocalTaskContext(request, store, models, events, lifecycle::log,
                properties.progressInterval());
        synchronized (running) {
            try {
                Future<?> future = pool.submit(() -> run(task, request, context));
                running.put(request.jobId(), new Running(request.attempt(), context, future));
            } catch (RejectedExecutionException e) {
                throw new ExecutorStartException("local executor is full (" + properties.threads() + " threads)", true, e);
            }
        }
        return "local:" + task.getClass().getSimpleName();
    }

    private void run(TrainingTask task, ExecutionRequest request, LocalTaskContext context) {
        synchronized (running) {
            // start() registers the attempt after submit(); wait for it so that cleanup below finds it.
        }
        AttemptOutcome outcome;
        try {
            task.run(request.spec(), context);
            outcome = context.isCancelled()
                    ? AttemptOutcome.cancelled("cancelled") : AttemptOutcome.succeeded();
        } catch (TransientTaskException e) {
            outcome = AttemptOutcome.failed(e.getMessage(), true);
        } catch (CancellationException | InterruptedException | ClosedByInterruptException e) {
            outcome = AttemptOutcome.cancelled("stopped: " + e.getMessage());
        } catch (Throwable e) {
            outcome = AttemptOutcome.failed(describe(e), false);
        } finally {
            running.remove(request.jobId());
        }
        if (shuttingDown && outcome.status() != AttemptOutcome.Status.SUCCEEDED) {
            log.info("job {}: attempt {} stopped by shutdown; it resumes on the next start", request.jobId(),
                    request.attempt());
            return;
        }
        if (outcome.status() != AttemptOutcome.Status.CANCELLED) {
            awaitCheckpointRecorded(request.jobId(), context.lastCheckpointPublished());
        }
        if (outcome.status() == AttemptOutcome.Status.SUCCEEDED) {
            awaitProgressRecorded(request.jobId(), context.lastProgressPublished());
        }
        try {
            lifecycle.attemptFinished(request.jobId(), request.attempt(), outcome);
        } catch (RuntimeException e) {
            log.error("job {}: could not record the end of attempt {}", request.jobId(), request.attempt(), e);
        }
    }

    /**
     * Checkpoints travel through Kafka like every trainer report; before the attempt's end is recorded (and a
     * retry possibly started) wait briefly until its newest checkpoint is recorded, so the retry resumes from it.
     */
    private void awaitCheckpointRecorded(String jobId, long step) {
        if (step < 0) {
            return;
        }
        long deadline = System.nanoTime() + properties.checkpointSettle().toNanos();
        while (System.nanoTime() < deadline) {
            if (jobs.lastCheckpoint(jobId).map(c -> c.step() >= step).orElse(false)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("job {}: checkpoint at step {} not recorded within {}; a retry may resume from an older one", jobId,
                step, properties.checkpointSettle());
    }

    /**
     * Progress travels through Kafka too: before a successful attempt is recorded, wait briefly until its last
     * progress is, so that a job seen SUCCEEDED also shows its final progress (e.g. done == total).
     */
    private void awaitProgressRecorded(String jobId, long step) {
        if (step < 0) {
            return;
        }
        long deadline = System.nanoTime() + properties.checkpointSettle().toNanos();
        while (System.nanoTime() < deadline) {
            Long recorded = jobs.find(jobId).map(job -> job.progress().step()).orElse(null);
            if (recorded != null && recorded >= step) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.warn("job {}: final progress (step {}) not recorded within {}", jobId, step, properties.checkpointSettle());
    }

    @Override
    public void cancel(String jobId, int attempt) {
        Running current = running.get(jobId);
        if (current != null && current.attempt() == attempt) {
            current.context().cancel();
            current.future().cancel(true);
        }
    }

    /** A local attempt does not survive its process: always start it again. */
    @Override
    public boolean reattach(Job job) {
        return false;
    }

    /** Attempts running right now (for health and tests). */
    public int runningCount() {
        return running.size();
    }

    @Override
    public void destroy() throws InterruptedException {
        shuttingDown = true;
        running.values().forEach(r -> r.context().cancel());
        pool.shutdownNow();
        if (!pool.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("local tasks did not stop within {}", properties.shutdownGrace());
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
