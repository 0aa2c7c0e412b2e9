package io.recap.orchestrator.scheduling;

import io.recap.core.domain.JobState;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.catalog.SnapshotManifest;
import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.executor.ExecutorStartException;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.jobs.Job;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Takes jobs off the persistent queue. One thread, one pass at a time: for every pool it starts as many
 * QUEUED jobs as the pool has free slots, highest priority first and FIFO within a priority, and it starts
 * the next attempt of RUNNING jobs whose retry is due. Slots are counted from the database (RUNNING jobs
 * of the pool, those waiting for a retry included), so never more jobs run than a pool has slots.
 *
 * <p>On start-up it first recovers: RUNNING jobs whose executor can re-attach (Kubernetes: the Job is still
 * there) stay as they are; the others get a new attempt that resumes from their last checkpoint.
 *
 * <p>Assumes one orchestrator instance per database (no leader election).
 */
public class Scheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final ExecutorRegistry executors;
    private final CatalogService catalog;
    private final SchedulingProperties properties;
    private final SchedulerSignal signal;
    private final OrchestratorMetrics metrics;
    private final Clock clock;

    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean recovered;
    private volatile Instant lastPass;

    public Scheduler(JobRepository jobs, JobLifecycle lifecycle, ExecutorRegistry executors, CatalogService catalog,
            SchedulingProperties properties, SchedulerSignal signal, OrchestratorMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.executors = executors;
        this.catalog = catalog;
        this.properties = properties;
        this.signal = signal;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "recap-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread current = thread;
        running = false;
        if (current != null) {
            current.interrupt();
            try {
                current.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the Kafka listeners (so trainers' events are consumed) and stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 50;
    }

    public boolean isRecovered() {
        return recovered;
    }

    public Instant lastPass() {
        return lastPass;
    }

    private void loop() {
        while (running && !recovered) {
            try {
                recover();
                recovered = true;
            } catch (RuntimeException e) {
                log.error("recovery failed; trying again", e);
                if (!sleep(properties.pollInterval())) {
                    return;
                }
            }
        }
        while (running) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.error("scheduler pass failed", e);
            }
            try {
                signal.await(properties.pollInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Re-attaches or resumes the RUNNING jobs left by an earlier run of the orchestrator. */
    public void recover() {
        for (Job job : jobs.running()) {
            if (job.awaitingRetry()) {
                continue; // its next attempt is already due or scheduled
            }
            Optional<JobExecutor> executor = executors.find(job.executor());
            if (job.attempt() == 0) {
                // Claimed but never started (crash in between): start it now.
                jobs.scheduleRetry(job.jobId(), 0, false, clock.instant());
                continue;
            }
            if (executor.isEmpty()) {
                lifecycle.attemptFinished(job.jobId(), job.attempt(), AttemptOutcome.failed(
                        "executor '" + job.executor() + "' is not enabled after the restart", false));
                continue;
            }
            boolean attached;
            try {
                attached = executor.get().reattach(job);
            } catch (RuntimeException e) {
                log.warn("could not re-attach job {}: {}", job.jobId(), e.toString());
                attached = false;
            }
            if (attached) {
                lifecycle.log(job.jobId(), "re-attached to attempt " + job.attempt() + " on " + job.executor()
                        + " after an orchestrator restart");
            } else {
                lifecycle.attemptFinished(job.jobId(), job.attempt(),
                        AttemptOutcome.interrupted("orchestrator restarted"));
            }
        }
    }

    /** One scheduling pass (package-visible for tests that drive the scheduler by hand). */
    public synchronized void runOnce() {
        Instant now = clock.instant();
        for (Job job : jobs.dueRetries(now)) {
            dispatch(job, job.attempt() + 1);
        }
        Map<String, Long> runningByPool = jobs.runningByPool();
        for (Map.Entry<String, Integer> pool : properties.slots().entrySet()) {
            long free = pool.getValue() - runningByPool.getOrDefault(pool.getKey(), 0L);
            if (free <= 0) {
                continue;
            }
            String executorName = properties.executorFor(pool.getKey());
            for (Job job : jobs.queued(pool.getKey(), (int) Math.min(free, 1000))) {
                if (executors.find(executorName).isEmpty()) {
                    lifecycle.fail(job.jobId(), JobState.QUEUED, "executor '" + executorName + "' of pool "
                            + pool.getKey() + " is not enabled");
                    continue;
                }
                Instant claimedAt = clock.instant();
                if (jobs.claim(job.jobId(), executorName, claimedAt)) {
                    metrics.queueWait(job.pool(), job.kind(), Duration.between(job.createdAt(), claimedAt));
                    jobs.find(job.jobId()).ifPresent(claimed -> dispatch(claimed, 1));
                }
            }
        }
        metrics.jobsByState(jobs.countByState());
        metrics.pools(jobs.runningByPool(), jobs.queuedByPool());
        lastPass = clock.instant();
    }

    private void dispatch(Job job, int attempt) {
        JobExecutor executor = executors.find(job.executor()).orElse(null);
        if (executor == null) {
            lifecycle.fail(job.jobId(), JobState.RUNNING, "executor '" + job.executor() + "' is not enabled");
            return;
        }
        String snapshotId = job.snapshotId();
        try {
            if (snapshotId == null && job.spec() instanceof T2iFinetuneSpec spec) {
                SnapshotManifest snapshot = catalog.exportSnapshot(spec.corpusId(), spec.captioner());
                snapshotId = snapshot.snapshotId();
                jobs.setSnapshot(job.jobId(), snapshotId);
                lifecycle.log(job.jobId(), "dataset snapshot " + snapshotId + ": " + snapshot.imageCount() + " images, "
                        + snapshot.captionCount() + " captions by " + spec.captioner());
            }
        } catch (RuntimeException e) {
            lifecycle.fail(job.jobId(), JobState.RUNNING, "could not export the dataset snapshot: " + e.getMessage());
            return;
        }
        Optional<JobRepository.StoredCheckpoint> checkpoint = jobs.lastCheckpoint(job.jobId());
        Long resumeStep = checkpoint.map(JobRepository.StoredCheckpoint::step).orElse(null);
        if (!jobs.startAttempt(job.jobId(), attempt, executor.name(), resumeStep, clock.instant())) {
            return; // cancelled meanwhile
        }
        lifecycle.log(job.jobId(), "attempt " + attempt + " starting on " + executor.name()
                + (resumeStep == null ? "" : ", resuming from checkpoint at step " + resumeStep));
        ExecutionRequest request = new ExecutionRequest(job.jobId(), attempt, job.spec(), job.params(),
                snapshotId == null ? null : "snapshots/" + snapshotId, "checkpoints/" + job.jobId(), resumeStep,
                checkpoint.map(JobRepository.StoredCheckpoint::path).orElse(null));
        try {
            String ref = executor.start(request);
            if (ref != null) {
                jobs.setExternalRef(job.jobId(), attempt, ref);
            }
        } catch (ExecutorStartException e) {
            lifecycle.attemptFinished(job.jobId(), attempt,
                    AttemptOutcome.failed("could not start: " + e.getMessage(), e.isTransient()));
        } catch (RuntimeException e) {
            lifecycle.attemptFinished(job.jobId(), attempt, AttemptOutcome.failed("could not start: " + e, true));
        }
    }

    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
