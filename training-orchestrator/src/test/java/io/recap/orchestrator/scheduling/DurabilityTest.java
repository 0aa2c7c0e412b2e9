package io.recap.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelResult;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.catalog.CatalogService;
import io.recap.orchestrator.support.TestModels;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import java.util.List;
import io.recap.orchestrator.TrainingOrchestratorApplication;
import io.recap.orchestrator.jobs.CaptionerFinetuneSpec;
import io.recap.orchestrator.jobs.JobAttempt;
import io.recap.orchestrator.jobs.JobService;
import io.recap.orchestrator.jobs.JobView;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.support.SimulatedTrainingTasks;
import io.recap.service.security.TestApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A local job survives an orchestrator restart: it checkpoints at step 4, the application context is closed
 * mid-run, a new one starts on the same H2 file database and store, and the job resumes from step 4 (not 0)
 * and finishes. Progress and checkpoints reach the job over a real KRaft broker, as in production.
 */
@EmbeddedKafka(partitions = 1, brokerProperties = {"offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0"})
class DurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void aRunningLocalJobResumesFromItsLastCheckpointAfterARestart(EmbeddedKafkaBroker broker) throws Exception {
        String jobId;
        try (ConfigurableApplicationContext first = start(broker)) {
            JobService jobs = first.getBean(JobService.class);
            jobId = jobs.submit(new CaptionerFinetuneSpec("shapes-human-100", null, "smoke", null), 0, null,
                    Map.of("simulate", true, "steps", 10, "stepMillis", 20, "checkpointEvery", 2, "holdAtStep", 4)).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JobView job = jobs.get(jobId);
                return job.lastCheckpoint() != null && job.lastCheckpoint().step() == 4;
            });
            assertThat(jobs.get(jobId).state()).isEqualTo(JobState.RUNNING);
        } // the task is interrupted; the job is left RUNNING with its checkpoint recorded

        try (Connection db = DriverManager.getConnection(jdbcUrl(), "sa", "");
                ResultSet row = db.createStatement().executeQuery(
                        "SELECT state, attempt FROM jobs WHERE job_id = '" + jobId + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("state")).isEqualTo("RUNNING");
            assertThat(row.getInt("attempt")).isEqualTo(1);
        }

        try (ConfigurableApplicationContext second = start(broker)) {
            JobService jobs = second.getBean(JobService.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> jobs.get(jobId).state() == JobState.SUCCEEDED);
            JobView job = jobs.get(jobId);
            assertThat(job.attempts()).extracting(JobAttempt::outcome).containsExactly("INTERRUPTED", "SUCCEEDED");
            assertThat(job.attempts().get(0).reason()).isEqualTo("orchestrator restarted");
            assertThat(job.attempts().get(1).resumedFromStep()).isEqualTo(4);
            assertThat(job.failedAttempts()).as("a restart is not the job's failure").isZero();
            assertThat(job.logTail()).containsOnlyOnce("starting CAPTIONER_FINETUNE from scratch: 10 steps");
            assertThat(job.logTail()).contains("resumed from checkpoint at step 4 (attempt 2)", "finished 10 steps");
            await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(jobId).progress().done() == 10);
            assertThat(dataDir.resolve("store/checkpoints/" + jobId + "/step-000010/state.txt")).exists();
            assertThat(Files.readString(dataDir.resolve("store/checkpoints/" + jobId + "/step-000004/state.txt")))
                    .isEqualTo("4");
        }
    }

    /**
     * The same with the real T2I_FINETUNE task: the context is closed after the trainer's first checkpoint is
     * recorded; the next start resumes the DJL training from that checkpoint (weights, Adam moments, random stream)
     * and counts on from its step to the preset's total, not past it.
     */
    @Test
    void aRealTextToImageTrainingResumesFromItsRecordedCheckpointAfterARestart(EmbeddedKafkaBroker broker)
            throws Exception {
        Path corpus = dataDir.resolve("corpora/resume-shapes");
        CorpusGenerator.generate(new CorpusConfig(corpus, 16, 5, 32, 0, 0, AltTextConfig.defaults()), line -> { });
        ModelRef captioner = ModelRef.captioner("resume-captioner", "v1");
        long steps = 120;
        String jobId;
        try (ConfigurableApplicationContext first = start(broker)) {
            TestModels.captioner(first.getBean(ModelStore.class), captioner.name(), captioner.version());
            CatalogService catalog = first.getBean(CatalogService.class);
            List<CorpusEntry> entries = CorpusManifest.read(corpus).entries();
            catalog.ingest(new CorpusIngestBatch("resume-shapes", "b1", entries.stream()
                    .map(e -> new CorpusIngestBatch.Item(e.id(), ImageRef.ofUri(corpus.resolve(e.file()).toUri()
                            .toString()), e.altText())).toList()));
            for (CorpusEntry e : entries) {
                catalog.recordRelabelResult(RelabelResult.success(e.id(), "resume-shapes", "b1", captioner,
                        Map.of(CaptionStyle.SHORT, e.captions().shortCaption(),
                                CaptionStyle.LONG, e.captions().longCaption())));
            }
            JobService jobs = first.getBean(JobService.class);
            jobId = jobs.submit(new T2iFinetuneSpec("resume-shapes", captioner, CaptionMix.RECAP_MIX, "smoke", null),
                    0, null,
                    // Every checkpoint kept: on a fast machine the trainer runs on for several checkpoints while the
                    // context closes, and the one recorded in the database must still be there to resume from.
                    Map.of("steps", steps, "checkpointEvery", 10, "keepCheckpoints", 100,
                            "modelName", "t2i-resume")).jobId();
            await().atMost(Duration.ofMinutes(3)).until(() -> jobs.get(jobId).lastCheckpoint() != null);
            assertThat(jobs.get(jobId).state()).isEqualTo(JobState.RUNNING);
        } // the training is stopped at its next progress report; the job stays RUNNING

        long recorded;
        try (Connection db = DriverManager.getConnection(jdbcUrl(), "sa", "");
                ResultSet row = db.createStatement().executeQuery("SELECT j.state, (SELECT MAX(step) FROM "
                        + "job_checkpoints c WHERE c.job_id = j.job_id) AS step FROM jobs j WHERE j.job_id = '"
                        + jobId + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("state")).isEqualTo("RUNNING");
            recorded = row.getLong("step");
        }
        assertThat(recorded).isPositive().isLessThan(steps);
        assertThat(dataDir.resolve("store/checkpoints/" + jobId + String.format("/step-%08d", recorded))).isDirectory();

        try (ConfigurableApplicationContext second = start(broker)) {
            JobService jobs = second.getBean(JobService.class);
            await().atMost(Duration.ofMinutes(4)).until(() -> jobs.get(jobId).state().isTerminal());
            JobView job = jobs.get(jobId);
            System.out.println("restart-resume: checkpoint recorded at step " + recorded + " before the stop; log "
                    + job.logTail());
            assertThat(job.state()).as(job.failureReason()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job.attempts()).extracting(JobAttempt::outcome).containsExactly("INTERRUPTED", "SUCCEEDED");
            // The checkpoint read from the database above, or a newer one: the stopped trainer's last checkpoint
            // event may still be on the broker, and the next start records it before it resumes.
            long resumed = job.attempts().get(1).resumedFromStep();
            assertThat(resumed).isGreaterThanOrEqualTo(recorded).isLessThan(steps);
            assertThat(job.logTail()).filteredOn(line -> line.startsWith("starting T2I_FINETUNE from scratch: 120 steps"))
                    .hasSize(1);
            assertThat(job.logTail()).anyMatch(line -> line.startsWith("resumed from checkpoint at step " + resumed
                    + " of " + steps + " (checkpoints/" + jobId + String.format("/step-%08d", resumed)));
            assertThat(job.logTail()).anyMatch(line -> line.startsWith("trained steps " + resumed + ".." + steps + ":"));
            await().atMost(Duration.ofSeconds(20)).until(() -> jobs.get(jobId).progress().done() == steps);
            assertThat(jobs.get(jobId).progress().total()).isEqualTo(steps);
            ModelManifest manifest = second.getBean(ModelStore.class).manifest(ModelRef.textToImage("t2i-resume", "v1"));
            assertThat(manifest.hyperParameters().get("training.stepsDone").toString()).startsWith("120");
            assertThat(manifest.metrics()).containsEntry("training.steps", (double) steps)
                    .containsEntry("training.steps_this_attempt", (double) (steps - resumed));
        }
    }

    private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        return new SpringApplicationBuilder(TrainingOrchestratorApplication.class, SimulatedTrainingTasks.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--recap.security.api-keys=" + TestApiKeys.property(),
                "--recap.data-dir=" + dataDir,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--recap.executor.local.progress-interval=20ms",
                "--recap.scheduling.poll-interval=200ms",
                "--recap.orchestrator.topic-partitions=1");
    }

    private String jdbcUrl() {
        return "jdbc:h2:file:" + dataDir + "/orchestrator/orchestrator;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }
}
