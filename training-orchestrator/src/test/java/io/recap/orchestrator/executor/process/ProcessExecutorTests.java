package io.recap.orchestrator.executor.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.text.Vocabulary;
import io.recap.orchestrator.executor.AttemptOutcome;
import io.recap.service.security.TestApiKeys;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import io.recap.testsupport.TestClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The process executor through the real orchestrator: trainings run as child JVMs ({@code TrainerMain}) that report
 * over a real broker. Two fine-tunes of the {@code cpu} pool (2 slots) must run at once, in two processes, and both
 * publish; a cancelled trainer must stop; a trainer killed with SIGKILL must be retried and resume from its
 * checkpoint, so the job still succeeds. RELABEL-free: the jobs train on alt-text (no captioner needed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessExecutorTests {

    private static final Path DATA_DIR;
    private static final String CORPUS = "process-shapes";
    private static final ModelRef VOCABULARY = ModelRef.captioner("process-vocabulary", "v1");
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    static {
        try {
            DATA_DIR = Files.createTempDirectory("orchestrator-process");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    ModelStore models;

    @Autowired
    ProcessExecutor executor;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("recap.data-dir", DATA_DIR::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
        registry.add("recap.orchestrator.retry-backoff", () -> "100ms");
        registry.add("recap.scheduling.poll-interval", () -> "200ms");
        registry.add("recap.orchestrator.topic-partitions", () -> "1");
        registry.add("recap.executor.process.enabled", () -> "true");
        registry.add("recap.executor.process.jvm-options", () -> "-Xmx1g,-Djava.awt.headless=true,"
                + "-Dai.djl.offline=true,-Drecap.ml.threads=1");
        registry.add("recap.executor.process.env.RECAP_PROGRESS_INTERVAL_MS", () -> "20");
        registry.add("recap.executor.process.stop-grace", () -> "20s");
        registry.add("recap.scheduling.slots.cpu", () -> "2");
        registry.add("recap.scheduling.executors.cpu", () -> "process");
    }

    @BeforeAll
    void corpusAndVocabulary() throws Exception {
        Path corpus = DATA_DIR.resolve("corpora/" + CORPUS);
        CorpusGenerator.generate(new CorpusConfig(corpus, 48, 5, 32, 0, 0, AltTextConfig.defaults()), line -> { });
        assertThat(post("/corpora/" + CORPUS + "/ingest", "{\"manifestDir\":\"" + corpus + "\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/" + CORPUS).statusCode() == 200
                && json(get("/corpora/" + CORPUS)).get("imageCount").asLong() == 48);
        List<String> texts = new ArrayList<>();
        for (CorpusEntry entry : CorpusManifest.read(corpus).entries()) {
            texts.addAll(List.of(entry.altText(), entry.captions().shortCaption(), entry.captions().longCaption()));
        }
        models.publish(new ModelManifest(ModelKind.CAPTIONER, VOCABULARY.name(), "v1", "vocabulary only", Map.of(),
                ModelManifest.Lineage.NONE, Map.of(), Instant.now()),
                dir -> Vocabulary.build(texts, List.of(), 1).save(dir.resolve(Vocabulary.FILE_NAME)));
    }

    @Test
    void twoFineTunesTrainAtOnceInTwoTrainerProcessesAndBothPublish() throws Exception {
        String first = submit(t2i("process-a", 120, 40));
        String second = submit(t2i("process-b", 120, 40));
        AtomicBoolean together = new AtomicBoolean();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (executor.runningCount() == 2 && progress(first) > 0 && progress(second) > 0) {
                together.set(true);
            }
            return terminal(first) && terminal(second);
        });
        assertThat(together).as("both trainers were stepping at the same moment").isTrue();
        for (String jobId : List.of(first, second)) {
            JsonNode job = json(get("/jobs/" + jobId));
            assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            assertThat(job.get("progress").get("done").asLong()).isEqualTo(120);
            assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(120);
            assertThat(job.get("logTail").toString()).contains("trainer process", "published text-to-image/process-");
        }
        assertThat(models.manifest(ModelRef.textToImage("process-a", "v1")).hyperParameters())
                .containsEntry("training.steps", 120);
        assertThat(models.directory(ModelRef.textToImage("process-b", "v1")).resolve("text-to-image-0000.params"))
                .isNotEmptyFile();
        assertThat(DATA_DIR.resolve("orchestrator/trainer-logs/" + first + "-1.log")).isNotEmptyFile();
    }

    @Test
    void aTrainerKilledMidRunIsRetriedAndResumesFromItsCheckpoint() throws Exception {
        String jobId = submit(t2i("process-killed", 400, 50));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode checkpoint = json(get("/jobs/" + jobId)).get("lastCheckpoint");
            return checkpoint != null && !checkpoint.isNull() && checkpoint.get("step").asLong() >= 100;
        });
        ProcessHandle trainer = trainerOf(jobId, 1).orElseThrow();
        trainer.destroyForcibly();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> terminal(jobId));
        JsonNode job = json(get("/jobs/" + jobId));
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempt").asInt()).isEqualTo(2);
        assertThat(job.get("logTail").toString()).contains("status 137 (signal 9)", "resumed from checkpoint at step 100");
        assertThat(models.manifest(ModelRef.textToImage("process-killed", "v1")).hyperParameters().get(
                "training.stepsDone").toString()).startsWith("400");
    }

    @Test
    void cancellingStopsTheTrainerProcessAndPublishesNothing() throws Exception {
        String jobId = submit(t2i("process-cancelled", 100_000, 1000));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> progress(jobId) > 0);
        ProcessHandle trainer = trainerOf(jobId, 1).orElseThrow();
        assertThat(json(post("/jobs/" + jobId + "/cancel", null)).get("state").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> !trainer.isAlive());
        assertThat(models.list(ModelKind.TEXT_TO_IMAGE)).noneMatch(m -> m.name().equals("process-cancelled"));
    }

    @Test
    void exitStatusesMapToOutcomesAsKubernetesReadsThem() {
        assertThat(ProcessExecutor.outcome(0, false).status()).isEqualTo(AttemptOutcome.Status.SUCCEEDED);
        assertThat(ProcessExecutor.outcome(1, false).transientFailure()).isFalse();
        assertThat(ProcessExecutor.outcome(2, false).transientFailure()).isFalse();
        assertThat(ProcessExecutor.outcome(75, false).transientFailure()).isTrue();
        assertThat(ProcessExecutor.outcome(137, false).reason()).contains("signal 9");
        assertThat(ProcessExecutor.outcome(137, true).status()).isEqualTo(AttemptOutcome.Status.CANCELLED);
        assertThat(ProcessExecutor.launchCommand("/a.jar" + java.io.File.pathSeparator + "/b"))
                .containsExactly("-cp", "/a.jar" + java.io.File.pathSeparator + "/b",
                        "io.recap.orchestrator.trainer.TrainerMain");
    }

    private static String t2i(String name, int steps, int checkpointEvery) {
        return """
                {"kind":"T2I_FINETUNE","spec":{"corpusId":"%s","captionMix":"alt","preset":"smoke"},
                 "params":{"modelName":"%s","vocabularyFrom":"%s","steps":%d,"checkpointEvery":%d,
                 "samplePrompts":0}}""".formatted(CORPUS, name, VOCABULARY, steps, checkpointEvery);
    }

    /** The trainer JVM of an attempt, found by the attempt property in its command line. */
    private static Optional<ProcessHandle> trainerOf(String jobId, int attempt) {
        String marker = "-D" + ProcessExecutor.ATTEMPT_PROPERTY + "=" + jobId + "/" + attempt;
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(line -> line.contains(marker)).orElse(false)).findFirst();
    }

    private long progress(String jobId) throws Exception {
        JsonNode progress = json(get("/jobs/" + jobId)).get("progress");
        return progress == null || progress.get("done") == null ? 0 : progress.get("done").asLong();
    }

    private boolean terminal(String jobId) throws Exception {
        return JobState.valueOf(json(get("/jobs/" + jobId)).get("state").asString()).isTerminal();
    }

    private String submit(String request) throws Exception {
        HttpResponse<String> response = post("/jobs", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).get("jobId").asString();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return new TestClient(port, managementPort).get(path);
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return new TestClient(port, managementPort).post(path, body);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return TestClient.json(response);
    }
}
