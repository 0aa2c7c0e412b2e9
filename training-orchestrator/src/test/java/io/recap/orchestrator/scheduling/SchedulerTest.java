package io.recap.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelRef;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.executor.JobExecutor;
import io.recap.orchestrator.jobs.EvaluateSpec;
import io.recap.orchestrator.jobs.Job;
import io.recap.orchestrator.jobs.JobAttempt;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.testsupport.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The persistent queue with real SQL (H2) and a hand-driven executor: capacity per pool, priority then
 * FIFO order, retries from checkpoints within the attempt budget, and start-up recovery.
 */
class SchedulerTest {

    @TempDir
    Path store;

    private TestDatabases.TestDatabase db;
    private JobRepository jobs;
    private JobLifecycle lifecycle;
    private CatalogService catalog;
    private final ManualExecutor executor = new ManualExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        db = TestDatabases.h2();
        JdbcClient jdbc = JdbcClient.create(db.dataSource());
        jobs = new JobRepository(jdbc, db.tx());
        OrchestratorMetrics metrics = new OrchestratorMetrics(meters, Map.of("cpu", 2, "gpu", 0));
        lifecycle = new JobLifecycle(jobs, new SchedulerSignal(), metrics, Clock.systemUTC(), Duration.ZERO, 1000);
        catalog = new CatalogService(new CatalogRepository(jdbc), db.tx(), new LocalBlobStore(store),
                new LocalBlobStore(store), Clock.systemUTC(), 100);
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    private Scheduler scheduler(Map<String, Integer> slots, Map<String, String> executors) {
        SchedulingProperties properties = new SchedulingProperties(slots, executors, "local", Map.of(), "cpu",
                Duration.ofSeconds(1));
        return new Scheduler(jobs, lifecycle, new ExecutorRegistry(List.of(executor)), catalog, properties,
                new SchedulerSignal(), new OrchestratorMetrics(new SimpleMeterRegistry(), slots), Clock.systemUTC());
    }

    @Test
    void neverRunsMoreThanAPoolsSlotsAndStartsByPriorityThenFifo() {
        Scheduler scheduler = scheduler(Map.of("cpu", 2, "gpu", 0), Map.of());
        int[] priorities = {0, 0, 5, 0, 5, 1, 0, 1};
        for (int i = 0; i < priorities.length; i++) {
            submit("cpu-" + i, priorities[i], "cpu");
        }
        submit("gpu-0", 100, "gpu");

        Random random = new Random(7);
        for (int pass = 0; pass < 50 && executor.started.size() < priorities.length; pass++) {
            scheduler.runOnce();
            assertThat(jobs.runningByPool().getOrDefault("cpu", 0L)).as("cpu slots").isLessThanOrEqualTo(2);
            List<ExecutionRequest> running = executor.running();
            if (!running.isEmpty()) {
                // finish a random running job, successfully or not
                ExecutionRequest done = running.get(random.nextInt(running.size()));
                executor.finish(done, random.nextBoolean() ? AttemptOutcome.succeeded()
                        : AttemptOutcome.failed("boom", false));
            }
        }

        assertThat(executor.started).extracting(ExecutionRequest::jobId)
                .containsExactly("cpu-2", "cpu-4", "cpu-5", "cpu-7", "cpu-0", "cpu-1", "cpu-3", "cpu-6");
        assertThat(jobs.find("gpu-0").orElseThrow().state()).as("a pool with 0 slots runs nothing")
                .isEqualTo(JobState.QUEUED);
        assertThat(meters.find("recap.orchestrator.attempts").counters()).isNotEmpty();
    }

    @Test
    void transientFailuresAreRetriedFromTheLastCheckpointUntilTheBudgetIsSpent() {
        Scheduler scheduler = scheduler(Map.of("cpu", 1), Map.of());
        submit("flaky", 0, "cpu");
        submit("waiting", 0, "cpu");

        scheduler.runOnce();
        assertThat(executor.started).extracting(ExecutionRequest::jobId).containsExactly("flaky");
        jobs.insertCheckpoint("flaky", 40, "checkpoints/flaky/step-40", Instant.now());
        executor.finish(executor.last(), AttemptOutcome.failed("pod evicted: node drained", true));

        Job retrying = jobs.find("flaky").orElseThrow();
        assertThat(retrying.state()).isEqualTo(JobState.RUNNING);
        assertThat(retrying.awaitingRetry()).isTrue();

        scheduler.runOnce();
        assertThat(executor.started).extracting(r -> r.jobId() + "#" + r.attempt() + "@" + r.resumeStep())
                .as("the retry holds the slot, so the waiting job does not start")
                .containsExactly("flaky#1@null", "flaky#2@40");
        jobs.insertCheckpoint("flaky", 80, "checkpoints/flaky/step-80", Instant.now());
        executor.finish(executor.last(), AttemptOutcome.failed("pod evicted again", true));
        scheduler.runOnce();
        assertThat(executor.last().resumeStep()).isEqualTo(80);
        assertThat(executor.last().resumeCheckpointKey()).isEqualTo("checkpoints/flaky/step-80");
        executor.finish(executor.last(), AttemptOutcome.failed("pod evicted a third time", true));

        Job failed = jobs.find("flaky").orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.failureReason()).isEqualTo("pod evicted a third time (gave up after 3 failed attempts)");
        assertThat(jobs.attempts("flaky")).extracting(JobAttempt::reason)
                .containsExactly("pod evicted: node drained", "pod evicted again", "pod evicted a third time");

        scheduler.runOnce();
        assertThat(executor.last().jobId()).as("the freed slot goes to the next job").isEqualTo("waiting");
    }

    @Test
    void permanentFailuresAreNotRetried() {
        Scheduler scheduler = scheduler(Map.of("cpu", 1), Map.of());
        submit("bad", 0, "cpu");
        scheduler.runOnce();
        executor.finish(executor.last(), AttemptOutcome.failed("IllegalStateException: loss diverged", false));
        Job job = jobs.find("bad").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failureReason()).isEqualTo("IllegalStateException: loss diverged");
        assertThat(job.attempt()).isEqualTo(1);
    }

    @Test
    void restartResumesRunningLocalJobsFromTheirLastCheckpointWithoutSpendingTheBudget() {
        Scheduler before = scheduler(Map.of("cpu", 1), Map.of());
        submit("long", 0, "cpu");
        before.runOnce();
        jobs.insertCheckpoint("long", 7, "checkpoints/long/step-7", Instant.now());
        // the process dies here: the attempt never reports

        Scheduler after = scheduler(Map.of("cpu", 1), Map.of());
        after.recover();
        after.runOnce();

        Job job = jobs.find("long").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.failedAttempts()).isZero();
        assertThat(executor.last().resumeStep()).isEqualTo(7);
        assertThat(jobs.attempts("long")).extracting(a -> a.outcome() + ":" + a.reason())
                .containsExactly("INTERRUPTED:orchestrator restarted", "null:null");
    }

    @Test
    void aPoolWhoseExecutorIsNotEnabledFailsItsJobsWithTheReason() {
        Scheduler scheduler = scheduler(Map.of("cpu", 1, "gpu", 1), Map.of("gpu", "kubernetes"));
        submit("gpu-job", 0, "gpu");
        scheduler.runOnce();
        Job job = jobs.find("gpu-job").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.FAILED);
        assertThat(job.failureReason()).contains("executor 'kubernetes'", "not enabled");
    }

    private void submit(String jobId, int priority, String pool) {
        jobs.insert(jobId, new EvaluateSpec(ModelRef.captioner("c", "v1")), pool, priority, Map.of(), 3, Instant.now());
    }

    /** An executor the test finishes by hand. */
    private final class ManualExecutor implements JobExecutor {
        final List<ExecutionRequest> started = new ArrayList<>();
        final List<ExecutionRequest> finished = new ArrayList<>();

        @Override
        public String name() {
            return "local";
        }

        @Override
        public String start(ExecutionRequest request) {
            assertThat(request.kind()).isEqualTo(JobKind.EVALUATE);
            started.add(request);
            return "manual-" + request.jobId();
        }

        @Override
        public void cancel(String jobId, int attempt) {
        }

        @Override
        public boolean reattach(Job job) {
            return false;
        }

        List<ExecutionRequest> running() {
            return started.stream().filter(r -> !finished.contains(r)).toList();
        }

        ExecutionRequest last() {
            return started.get(started.size() - 1);
        }

        void finish(ExecutionRequest request, AttemptOutcome outcome) {
            finished.add(request);
            lifecycle.attemptFinished(request.jobId(), request.attempt(), outcome);
        }
    }
}
