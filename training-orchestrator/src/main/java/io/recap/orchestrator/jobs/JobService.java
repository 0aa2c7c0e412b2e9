package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import io.recap.core.messages.TrainingEvent;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.scheduling.SchedulerSignal;
import io.recap.service.web.InvalidFieldException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Job API operations (submit, read, cancel) and the consumer side of {@code recap.training.events}. */
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final int MAX_PRIORITY = 1000;
    private static final int MAX_PARAMS = 64;

    /** What an event did. */
    public enum EventOutcome { APPLIED, DUPLICATE, IGNORED, UNKNOWN_JOB, STALE_ATTEMPT }

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final ExecutorRegistry executors;
    private final SchedulerSignal signal;
    private final CatalogService catalog;
    private final ModelStore models;
    private final SchedulingProperties scheduling;
    private final Clock clock;
    private final int maxAttempts;
    private final int logTailLines;

    public JobService(JobRepository jobs, JobLifecycle lifecycle, ExecutorRegistry executors, SchedulerSignal signal,
            CatalogService catalog, ModelStore models, SchedulingProperties scheduling, Clock clock, int maxAttempts,
            int logTailLines) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.executors = executors;
        this.signal = signal;
        this.catalog = catalog;
        this.models = models;
        this.scheduling = scheduling;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.logTailLines = logTailLines;
    }

    /**
     * Queues a job whose spec its record has already checked, once the corpus and models it names exist and its
     * priority, pool and params are acceptable.
     *
     * @throws InvalidFieldException naming the offending field
     */
    public JobView submit(JobSpec spec, Integer priority, String pool, Map<String, Object> params) {
        JobKind kind = spec.kind();
        checkReferences(spec);
        int effectivePriority = priority == null ? 0 : priority;
        if (Math.abs(effectivePriority) > MAX_PRIORITY) {
            throw new InvalidFieldException("priority", "priority must be between -" + MAX_PRIORITY + " and "
                    + MAX_PRIORITY + " but was " + effectivePriority);
        }
        String effectivePool = pool == null || pool.isBlank() ? scheduling.poolFor(kind) : pool;
        if (!scheduling.slots().containsKey(effectivePool)) {
            throw new InvalidFieldException("pool", "unknown pool '" + effectivePool + "' (configured: "
                    + scheduling.slots().keySet() + ")");
        }
        String executor = scheduling.executorFor(effectivePool);
        if (executors.find(executor).isEmpty()) {
            throw new InvalidFieldException("pool", "pool '" + effectivePool + "' runs on executor '" + executor
                    + "', which is not enabled here (enabled: " + executors.names() + ")");
        }
        Map<String, String> checkedParams = params(params);
        if (kind == JobKind.RELABEL) {
            checkRelabelParams(checkedParams);
        }
        String jobId = "j" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant now = clock.instant();
        jobs.insert(jobId, spec, effectivePool, effectivePriority, checkedParams, maxAttempts, now);
        lifecycle.log(jobId, "submitted " + kind + " to pool " + effectivePool + " (priority " + effectivePriority
                + ", slots " + scheduling.slots().get(effectivePool) + ")");
        signal.wake();
        return view(jobs.find(jobId).orElseThrow(), true);
    }

    public JobView get(String jobId) {
        return view(jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId)), true);
    }

    /** The losses the job reported with its progress, by step: what its loss curve is drawn from. */
    public List<JobRepository.LossPoint> losses(String jobId) {
        jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        return jobs.losses(jobId);
    }

    public List<JobView> list(String state, String kind, int limit) {
        JobState stateFilter = null;
        JobKind kindFilter = null;
        if (state != null && !state.isBlank()) {
            try {
                stateFilter = JobState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("state", "unknown state '" + state + "' (one of "
                        + List.of(JobState.values()) + ")");
            }
        }
        if (kind != null && !kind.isBlank()) {
            kindFilter = JobSpecs.kind(kind);
        }
        if (limit < 1 || limit > 1000) {
            throw new InvalidFieldException("limit", "limit must be between 1 and 1000");
        }
        return jobs.list(stateFilter, kindFilter, limit).stream().map(job -> view(job, false)).toList();
    }

    /**
     * Cancels a QUEUED or RUNNING job; a running attempt is stopped by its executor.
     *
     * @throws JobFinishedException if the job has already finished
     */
    public JobView cancel(String jobId) {
        for (int tries = 0; tries < 5; tries++) {
            Job job = jobs.find(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            if (job.state().isTerminal()) {
                throw new JobFinishedException(jobId, job.state());
            }
            if (jobs.finish(jobId, job.state(), JobState.CANCELLED, "cancelled by request", clock.instant())) {
                lifecycle.log(jobId, "cancelled by request (was " + job.state() + ")");
                if (job.state() == JobState.RUNNING && job.attempt() > 0) {
                    jobs.finishAttempt(jobId, job.attempt(), JobState.CANCELLED.name(), "cancelled by request",
                            clock.instant());
                    if (!job.awaitingRetry()) {
                        executors.find(job.executor()).ifPresent(executor -> executor.cancel(jobId, job.attempt()));
                    }
                }
                signal.wake();
                return get(jobId);
            }
            // The state moved under us (e.g. the scheduler just started it): look again.
        }
        throw new IllegalStateException("job " + jobId + " keeps changing state; try again");
    }

    /**
     * Applies a trainer's report; idempotent per (job, step). An event from another attempt than the job's current
     * one changes nothing: a trainer that outlived its attempt (a pod still running, or events still on the topic
     * when the retry began) would otherwise move progress, add checkpoints or end the job on behalf of the attempt
     * that replaced it. Events without an attempt (trainers older than the field) are applied as before.
     */
    public EventOutcome apply(TrainingEvent event) {
        Job job = jobs.find(event.jobId()).orElse(null);
        if (job == null) {
            return EventOutcome.UNKNOWN_JOB;
        }
        if (event.attempt() != null && event.attempt() != job.attempt()) {
            log.warn("dropped {} event of job {} from attempt {}: the job's current attempt is {}", event.type(),
                    job.jobId(), event.attempt(), job.attempt());
            return EventOutcome.STALE_ATTEMPT;
        }
        Instant now = clock.instant();
        return switch (event.type()) {
            case PROGRESS -> {
                if (!jobs.updateProgress(job.jobId(), event.step(), event.totalSteps(), event.loss(), event.rate(),
                        event.etaSeconds(), event.timestamp())) {
                    yield EventOutcome.DUPLICATE;
                }
                if (event.loss() != null && Double.isFinite(event.loss())) {
                    jobs.insertLoss(job.jobId(), event.step(), event.loss());
                }
                yield EventOutcome.APPLIED;
            }
            case CHECKPOINT -> {
                if (!jobs.insertCheckpoint(job.jobId(), event.step(), event.checkpointPath(), now)) {
                    yield EventOutcome.DUPLICATE;
                }
                lifecycle.log(job.jobId(), "checkpoint at step " + event.step() + ": " + event.checkpointPath());
                yield EventOutcome.APPLIED;
            }
            case METRICS -> jobs.insertMetrics(job.jobId(), event.step(), event.metrics(), now) > 0
                    ? EventOutcome.APPLIED : EventOutcome.DUPLICATE;
            case STATE -> {
                if (!event.state().isTerminal()) {
                    yield EventOutcome.IGNORED;
                }
                boolean changed = lifecycle.trainerReported(job.jobId(), event.attempt(), event.state(),
                        event.message());
                if (changed && event.state() != JobState.SUCCEEDED && job.attempt() > 0) {
                    // The trainer gave up: make sure its pod or thread goes away too.
                    executors.find(job.executor()).ifPresent(executor -> executor.cancel(job.jobId(), job.attempt()));
                }
                yield changed ? EventOutcome.APPLIED : EventOutcome.DUPLICATE;
            }
            case LOG -> {
                // Stored or thrown: a line lost to a database blip is retried by the listener, not dropped.
                lifecycle.logOrThrow(job.jobId(), event.message());
                yield EventOutcome.APPLIED;
            }
        };
    }

    private void checkReferences(JobSpec spec) {
        if (spec instanceof CaptionerFinetuneSpec s) {
            requireCorpus(s.corpusId());
            requireModel(s.baseModel(), "spec.baseModel");
        } else if (spec instanceof RelabelSpec s) {
            requireCorpus(s.corpusId());
            requireModel(s.captioner(), "spec.captioner");
        } else if (spec instanceof T2iFinetuneSpec s) {
            requireCorpus(s.corpusId());
            requireModel(s.captioner(), "spec.captioner");
            requireModel(s.baseModel(), "spec.baseModel");
        } else if (spec instanceof EvaluateSpec s) {
            requireModel(s.model(), "spec.model");
        }
    }

    private void requireCorpus(String corpusId) {
        if (corpusId != null && !catalog.corpusExists(corpusId)) {
            throw new InvalidFieldException("spec.corpusId", "spec.corpusId: corpus '" + corpusId
                    + "' is not in the catalog");
        }
    }

    private void requireModel(ModelRef ref, String field) {
        if (ref != null && !models.exists(ref)) {
            throw new InvalidFieldException(field, field + ": model " + ref + " is not in the model store");
        }
    }

    /** RELABEL params that choose what is sent are checked now: a wrong choice would relabel the wrong images. */
    private static void checkRelabelParams(Map<String, String> params) {
        RelabelOnly.parse(params.get(RelabelOnly.PARAM));
        if (params.containsKey("retryFailures")) {
            // Replaced by params.only; ignoring it would silently send a different set than the caller meant.
            throw new InvalidFieldException("params.retryFailures", "params.retryFailures is replaced by "
                    + "params.only: missing (default, failed images included) or failed");
        }
    }

    private static Map<String, String> params(Map<String, Object> params) {
        Map<String, String> checked = new LinkedHashMap<>();
        if (params == null) {
            return checked;
        }
        if (params.size() > MAX_PARAMS) {
            throw new InvalidFieldException("params", "at most " + MAX_PARAMS + " params");
        }
        params.forEach((key, value) -> {
            try {
                Require.safeId(key, "params key");
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("params." + key, e.getMessage());
            }
            if (value == null || value instanceof Map || value instanceof java.util.Collection) {
                throw new InvalidFieldException("params." + key, "params." + key
                        + " must be a string, number or boolean");
            }
            String text = value.toString();
            if (text.length() > 1024) {
                throw new InvalidFieldException("params." + key, "params." + key + " is longer than 1024 characters");
            }
            checked.put(key, text);
        });
        return checked;
    }

    private JobView view(Job job, boolean details) {
        List<JobAttempt> attempts = jobs.attempts(job.jobId());
        JobView.CheckpointView checkpoint = jobs.lastCheckpoint(job.jobId())
                .map(c -> new JobView.CheckpointView(c.step(), c.path())).orElse(null);
        Long queueWait = job.startedAt() == null ? null : Duration.between(job.createdAt(), job.startedAt()).toMillis();
        return new JobView(job.jobId(), job.kind(), job.state(), job.pool(), job.priority(), job.executor(), job.spec(),
                job.params(), progress(job, attempts), checkpoint, jobs.latestMetrics(job.jobId()), job.attempt(),
                job.maxAttempts(), job.failedAttempts(), job.awaitingRetry(), job.nextAttemptAt(), job.failureReason(),
                job.snapshotId(), job.createdAt(), job.startedAt(), job.finishedAt(), queueWait, attempts,
                details ? jobs.logTail(job.jobId(), logTailLines) : null);
    }

    /** Uses the trainer's rate and ETA; derives them from the current attempt when the trainer sent none. */
    private static JobView.ProgressView progress(Job job, List<JobAttempt> attempts) {
        Job.Progress p = job.progress();
        if (p.totalSteps() == null) {
            return p.step() == null ? null
                    : new JobView.ProgressView(p.step(), null, null, null, null, null, p.reportedAt());
        }
        long done = p.step() == null ? 0 : p.step();
        Double rate = p.rate();
        Double eta = p.etaSeconds();
        if (rate == null && !attempts.isEmpty() && p.reportedAt() != null) {
            JobAttempt current = attempts.get(attempts.size() - 1);
            long from = current.resumedFromStep() == null ? 0 : current.resumedFromStep();
            double seconds = Duration.between(current.startedAt(), p.reportedAt()).toMillis() / 1000.0;
            if (seconds > 0 && done > from) {
                rate = (done - from) / seconds;
            }
        }
        if (eta == null && rate != null && rate > 0 && !job.state().isTerminal()) {
            eta = (p.totalSteps() - done) / rate;
        }
        return new JobView.ProgressView(done, p.totalSteps(), (double) done / p.totalSteps(), rate, eta, p.loss(),
                p.reportedAt());
    }
}
