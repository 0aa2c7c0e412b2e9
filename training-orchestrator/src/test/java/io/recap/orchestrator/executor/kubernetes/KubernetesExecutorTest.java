package io.recap.orchestrator.executor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelRef;
import io.recap.core.store.LocalBlobStore;
import io.recap.orchestrator.catalog.CatalogRepository;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.config.KubernetesExecutorProperties;
import io.recap.orchestrator.config.SchedulingProperties;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.trainer.TrainerMain;
import io.recap.orchestrator.executor.ExecutorRegistry;
import io.recap.orchestrator.jobs.JobLifecycle;
import io.recap.orchestrator.jobs.JobRepository;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.scheduling.Scheduler;
import io.recap.orchestrator.scheduling.SchedulerSignal;
import io.recap.testsupport.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Kubernetes executor against fabric8's mock API server in CRUD mode (no controllers run, so the test
 * plays the Job controller and kubelet by writing Job and Pod status itself), with the job store on H2.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorTest {

    static KubernetesClient client;

    private static final String NS = "recap";

    @TempDir
    Path store;

    private TestDatabases.TestDatabase db;
    private JobRepository jobs;
    private JobLifecycle lifecycle;
    private KubernetesExecutor executor;
    private KubernetesClient restartedClient;

    @BeforeEach
    void setUp() {
        db = TestDatabases.h2();
        jobs = new JobRepository(JdbcClient.create(db.dataSource()), db.tx());
        lifecycle = new JobLifecycle(jobs, new SchedulerSignal(), new OrchestratorMetrics(new SimpleMeterRegistry(),
                Map.of("gpu", 1)), Clock.systemUTC(), Duration.ZERO, 1000);
        executor = newExecutor();
        executor.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.stop();
        if (restartedClient != null) {
            restartedClient.close();
        }
        client.batch().v1().jobs().inNamespace(NS).delete();
        client.pods().inNamespace(NS).delete();
        db.close();
    }

    static KubernetesExecutorProperties properties() {
        return new KubernetesExecutorProperties(true, NS, "registry.example/recap/trainer:1.0", "IfNotPresent",
                "recap-trainer", 1, "4", "16Gi", Map.of("nvidia.com/gpu.present", "true"),
                List.of(new KubernetesExecutorProperties.Toleration("nvidia.com/gpu", "Exists", "", "NoSchedule")),
                2, Duration.ofHours(24), Duration.ofHours(1), "recap-gpu", "recap-store", "/recap-data/store",
                "kafka:9092", Map.of("RECAP_LOG_LEVEL", "info", "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "KAFKA_SASL_USERNAME", "trainer"),
                Map.of("KAFKA_SASL_PASSWORD", "recap-trainer/password"),
                List.of("Evicted", "Preempted", "Shutdown", "NodeShutdown", "Terminated", "UnexpectedAdmissionError",
                        "DisruptionTarget"),
                Duration.ofMinutes(1));
    }

    private KubernetesExecutor newExecutor() {
        return new KubernetesExecutor(client, properties(), lifecycle);
    }

    @Test
    void createsExactlyTheExpectedJob() throws Exception {
        ExecutionRequest request = startAttempt("j0123456789abcdef", 1, 40L);
        String name = executor.start(request);

        Job created = client.batch().v1().jobs().inNamespace(NS).withName(name).get();
        String yaml = Serialization.asYaml(stripServerFields(created));
        Path printed = Path.of("target", "kubernetes-job.yaml");
        Files.writeString(printed, yaml, StandardCharsets.UTF_8);
        System.out.println("Job created by the Kubernetes executor (" + printed + "):\n" + yaml);

        String expected = new String(getClass().getResourceAsStream("/kubernetes/expected-job.yaml").readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(yaml).isEqualTo(expected);
        assertThat(jobs.attempts("j0123456789abcdef")).singleElement()
                .satisfies(a -> assertThat(a.attempt()).isEqualTo(1));
    }

    @Test
    void aCompletedJobSucceeds() throws Exception {
        String name = executor.start(startAttempt("jsucceeds", 1, null));
        setJobStatus(name, condition("Complete", null, null), 1, 0);

        await().atMost(Duration.ofSeconds(20)).until(() -> state("jsucceeds") == JobState.SUCCEEDED);
        assertThat(jobs.attempts("jsucceeds")).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aFailedJobRecordsTheJobAndPodFailureReasons() throws Exception {
        String name = executor.start(startAttempt("joom", 1, null));
        createFailedPod("joom", 1, name + "-x7k2p", null, null, "OOMKilled", 137);
        setJobStatus(name, condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                0, 3);

        await().atMost(Duration.ofSeconds(20)).until(() -> state("joom") == JobState.FAILED);
        String reason = jobs.find("joom").orElseThrow().failureReason();
        assertThat(reason).isEqualTo("BackoffLimitExceeded: Job has reached the specified backoff limit; pod "
                + name + "-x7k2p, container trainer terminated: OOMKilled (exit code 137)");
        assertThat(jobs.attempts("joom")).singleElement().satisfies(a -> assertThat(a.reason()).isEqualTo(reason));
    }

    @Test
    void anEvictedPodIsATransientFailureAndTheJobIsRetried() throws Exception {
        String name = executor.start(startAttempt("jevicted", 1, null));
        createFailedPod("jevicted", 1, name + "-abcde", "Evicted", "The node was low on resource: memory.", "Error", 137);
        setJobStatus(name, condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
                0, 1);

        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.find("jevicted").orElseThrow().awaitingRetry());
        var job = jobs.find("jevicted").orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.failedAttempts()).isEqualTo(1);
        assertThat(jobs.attempts("jevicted")).singleElement().satisfies(a -> assertThat(a.reason())
                .contains("Evicted (The node was low on resource: memory.)"));
    }

    @Test
    void theTrainersExitCodesSayWhetherAFailureIsTransient() throws Exception {
        // TrainerMain exits 75 for a TransientTaskException: the Job fails at once (pod failure policy) and the
        // orchestrator retries from the last checkpoint.
        String transientName = executor.start(startAttempt("jtransient", 1, null));
        createFailedPod("jtransient", 1, transientName + "-t1", null, null, "Error", TrainerMain.EXIT_TRANSIENT);
        setJobStatus(transientName, condition("Failed", "PodFailurePolicy",
                "Container trainer for pod recap/" + transientName + "-t1 failed with exit code 75 matching FailJob rule"),
                0, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs.find("jtransient").orElseThrow().awaitingRetry());
        assertThat(jobs.attempts("jtransient")).singleElement().satisfies(a -> assertThat(a.reason())
                .contains("container trainer terminated: Error (exit code 75)"));

        // Exit 1 (the trainer reported FAILED with its reason) is permanent.
        String failedName = executor.start(startAttempt("jpermanent", 1, null));
        createFailedPod("jpermanent", 1, failedName + "-p1", null, null, "Error", TrainerMain.EXIT_FAILED);
        setJobStatus(failedName, condition("Failed", "PodFailurePolicy", "exit code 1 matching FailJob rule"), 0, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> state("jpermanent") == JobState.FAILED);
        assertThat(jobs.find("jpermanent").orElseThrow().failureReason()).contains("(exit code 1)");
    }

    @Test
    void afterARestartRunningJobsAreReattachedByLabelAndFollowedToTheEnd() throws Exception {
        String name = executor.start(startAttempt("jreattach", 1, null));
        startAttempt("jvanished", 1, null); // its Job never reached the cluster
        executor.stop(); // the orchestrator goes down; the Job keeps running

        // A restarted orchestrator is a new process with its own client (and connection pool); reusing
        // the test's client here once timed out getting a connection behind the closed informer's watch.
        restartedClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        KubernetesExecutor restarted = new KubernetesExecutor(restartedClient, properties(), lifecycle);
        SchedulingProperties scheduling = new SchedulingProperties(Map.of("gpu", 1), Map.of("gpu", "kubernetes"),
                "kubernetes", Map.of(), "gpu", Duration.ofSeconds(1));
        CatalogService catalog = new CatalogService(new CatalogRepository(JdbcClient.create(db.dataSource())), db.tx(),
                new LocalBlobStore(store), new LocalBlobStore(store), Clock.systemUTC(), 100);
        Scheduler scheduler = new Scheduler(jobs, lifecycle, new ExecutorRegistry(List.of(restarted)), catalog,
                scheduling, new SchedulerSignal(), new OrchestratorMetrics(new SimpleMeterRegistry(), Map.of("gpu", 1)),
                Clock.systemUTC());
        restarted.start();
        executor = restarted;
        scheduler.recover();

        assertThat(jobs.logTail("jreattach", 5)).anyMatch(line -> line.startsWith("re-attached to attempt 1"));
        assertThat(state("jreattach")).isEqualTo(JobState.RUNNING);
        assertThat(jobs.attempts("jvanished")).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo("INTERRUPTED"));

        setJobStatus(name, condition("Complete", null, null), 1, 0);
        await().atMost(Duration.ofSeconds(20)).until(() -> state("jreattach") == JobState.SUCCEEDED);
    }

    @Test
    void cancellingDeletesTheJob() throws Exception {
        String name = executor.start(startAttempt("jcancel", 1, null));
        executor.cancel("jcancel", 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.batch().v1().jobs().inNamespace(NS).withName(name).get() == null);
    }

    @Test
    void theKubernetesProfileBindsToTheExecutorAndPoolSettings() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("kubernetes", new ClassPathResource("application-kubernetes.yml"))
                .forEach(environment.getPropertySources()::addFirst);
        Binder binder = Binder.get(environment);
        KubernetesExecutorProperties bound = binder.bind("recap.executor.kubernetes",
                KubernetesExecutorProperties.class).get();
        SchedulingProperties scheduling = binder.bind("recap.scheduling", SchedulingProperties.class).get();

        assertThat(bound.enabled()).isTrue();
        assertThat(bound.nodeSelector()).isEqualTo(Map.of("nvidia.com/gpu.present", "true"));
        assertThat(bound.tolerations()).containsExactly(
                new KubernetesExecutorProperties.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"));
        assertThat(bound.queueName()).isEmpty();
        assertThat(scheduling.poolFor(io.recap.core.domain.JobKind.T2I_FINETUNE)).isEqualTo("gpu");
        assertThat(scheduling.executorFor("gpu")).isEqualTo(KubernetesExecutor.NAME);
        assertThat(scheduling.slots()).isEqualTo(Map.of("cpu", 1, "gpu", 4));

        Job job = new KubernetesJobFactory(bound, "recap").build(new ExecutionRequest("jbound", 1,
                new io.recap.orchestrator.jobs.EvaluateSpec(ModelRef.captioner("c", "v1")), Map.of(), null,
                "checkpoints/jbound", null, null));
        assertThat(job.getMetadata().getLabels()).doesNotContainKey(KubernetesJobFactory.LABEL_KUEUE_QUEUE);
        assertThat(job.getSpec().getSuspend()).isNull();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits())
                .containsOnlyKeys(KubernetesJobFactory.GPU_RESOURCE);
    }

    private ExecutionRequest startAttempt(String jobId, int attempt, Long resumeStep) {
        T2iFinetuneSpec spec = new T2iFinetuneSpec("shapes-10k", ModelRef.captioner("shapes", "v3"), CaptionMix.RECAP_MIX,
                "paper", null);
        jobs.insert(jobId, spec, "gpu", 0, Map.of("steps", "250000"), 3, Instant.now());
        jobs.claim(jobId, KubernetesExecutor.NAME, Instant.now());
        jobs.startAttempt(jobId, attempt, KubernetesExecutor.NAME, resumeStep, Instant.now());
        return new ExecutionRequest(jobId, attempt, spec, Map.of("steps", "250000"), "snapshots/snap-0001",
                "checkpoints/" + jobId, resumeStep, resumeStep == null ? null
                        : "checkpoints/" + jobId + "/step-" + resumeStep);
    }

    private JobState state(String jobId) {
        return jobs.find(jobId).orElseThrow().state();
    }

    private static JobCondition condition(String type, String reason, String message) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message).build();
    }

    private static void setJobStatus(String name, JobCondition condition, int succeeded, int failed) {
        Job job = client.batch().v1().jobs().inNamespace(NS).withName(name).get();
        Job withStatus = new JobBuilder(job).withNewStatus().withConditions(condition).withSucceeded(succeeded)
                .withFailed(failed).endStatus().build();
        client.batch().v1().jobs().inNamespace(NS).resource(withStatus).updateStatus();
    }

    private static void createFailedPod(String jobId, int attempt, String podName, String podReason, String podMessage,
            String containerReason, int exitCode) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(podName).withNamespace(NS)
                    .withLabels(Map.of(KubernetesJobFactory.LABEL_JOB_ID, jobId,
                            KubernetesJobFactory.LABEL_ATTEMPT, Integer.toString(attempt)))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("trainer").withImage("trainer").endContainer().endSpec()
                .withNewStatus().withPhase("Failed").withReason(podReason).withMessage(podMessage)
                    .addNewContainerStatus().withName("trainer").withNewState().withNewTerminated()
                        .withReason(containerReason).withExitCode(exitCode).endTerminated().endState()
                    .endContainerStatus()
                .endStatus()
                .build();
        client.pods().inNamespace(NS).resource(pod).create();
    }

    /** Drops what the API server adds (uid, resourceVersion, timestamps), leaving what the executor wrote. */
    private static Job stripServerFields(Job job) {
        return new JobBuilder(job).editMetadata().withUid(null).withResourceVersion(null).withCreationTimestamp(null)
                .withGeneration(null).withManagedFields(List.of()).endMetadata().build();
    }
}
