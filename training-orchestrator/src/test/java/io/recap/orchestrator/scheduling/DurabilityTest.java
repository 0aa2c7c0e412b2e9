package io.recap.orchestrator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.orchestrator.TrainingOrchestratorApplication;
import io.recap.orchestrator.jobs.JobAttempt;
import io.recap.orchestrator.jobs.JobService;
import io.recap.orchestrator.jobs.JobView;
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
            jobId = jobs.submit("CAPTIONER_FINETUNE", Map.of("humanSet", "shapes-human-100", "preset", "smoke"), 0,
                    null, Map.of("steps", 10, "stepMillis", 20, "checkpointEvery", 2, "holdAtStep", 4)).jobId();
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

    private ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        return new SpringApplicationBuilder(TrainingOrchestratorApplication.class).run(
                "--server.port=0",
                "--recap.data-dir=" + dataDir,
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--recap.executor.local.simulate=true",
                "--recap.executor.local.progress-interval=20ms",
                "--recap.scheduling.poll-interval=200ms",
                "--recap.orchestrator.topic-partitions=1");
    }

    private String jdbcUrl() {
        return "jdbc:h2:file:" + dataDir + "/orchestrator/orchestrator;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }
}
