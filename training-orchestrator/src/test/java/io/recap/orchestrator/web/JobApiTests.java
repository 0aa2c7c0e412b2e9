package io.recap.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.ImageRef;
import io.recap.core.domain.JobState;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.support.IngestFixtures;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import io.recap.service.security.TestApiKeys;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code /jobs} end to end: validation, the local executor running {@code SimulatedTrainingTask} ({@code simulate=true}), progress and
 * checkpoints arriving over {@code recap.training.events}, retries, cancellation. The cpu pool has one slot.
 */
class JobApiTests extends OrchestratorIntegrationTest {

    @Autowired
    ModelStore models;

    @Autowired
    OrchestratorMetrics metrics;

    @BeforeEach
    void catalogAndModels() throws Exception {
        TestModels.captioner(models, "jobs-captioner", "v1");
        if (get("/corpora/jobs-corpus").statusCode() != 200) {
            send(Topics.CORPUS_INGEST, new CorpusIngestBatch("jobs-corpus", "b1", List.of(
                    new CorpusIngestBatch.Item("i1", ImageRef.ofUri("file:/data/i1.png"), "alt one"),
                    new CorpusIngestBatch.Item("i2", ImageRef.ofUri("file:/data/i2.png"), "alt two"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/jobs-corpus").statusCode() == 200);
        }
    }

    @Test
    void aT2iJobRunsWithProgressCheckpointsMetricsAndADatasetSnapshot() throws Exception {
        String jobId = submit("""
                {"kind":"T2I_FINETUNE","priority":3,
                 "spec":{"corpusId":"jobs-corpus","captioner":"captioner/jobs-captioner/v1","captionMix":"mix","preset":"smoke"},
                 "params":{"simulate":true,"steps":10,"stepMillis":30,"checkpointEvery":5}}""");

        JsonNode job = awaitState(jobId, JobState.SUCCEEDED);
        assertThat(job.get("kind").asString()).isEqualTo("T2I_FINETUNE");
        assertThat(job.get("pool").asString()).isEqualTo("cpu");
        assertThat(job.get("executor").asString()).isEqualTo("local");
        assertThat(job.get("spec").get("captionMix").get("shortWeight").asDouble()).isEqualTo(0.5);
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(10);
        assertThat(job.get("lastCheckpoint").get("path").asString()).isEqualTo("checkpoints/" + jobId + "/step-000010");
        assertThat(job.get("queueWaitMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(job.get("attempts")).hasSize(1);
        assertThat(job.get("attempts").get(0).get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("logTail").toString()).contains("dataset snapshot", "starting T2I_FINETUNE from scratch",
                "finished 10 steps", "attempt 1 succeeded");

        String snapshotId = job.get("snapshotId").asString();
        assertThat(store().resolve("snapshots/" + snapshotId + "/snapshot.json")).exists();
        assertThat(Files.readAllLines(store().resolve("snapshots/" + snapshotId + "/part-0000.jsonl"))).hasSize(2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode finished = getJson("/jobs/" + jobId);
            assertThat(finished.get("progress").get("done").asLong()).isEqualTo(10);
            assertThat(finished.get("progress").get("total").asLong()).isEqualTo(10);
            assertThat(finished.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
            assertThat(finished.get("progress").get("rate").asDouble()).isPositive();
            assertThat(finished.get("metrics").get("loss").get("value").asDouble()).isEqualTo(1.0 / 11);
            assertThat(finished.get("metrics").get("steps").get("value").asDouble()).isEqualTo(10.0);
        });

        JsonNode losses = getJson("/jobs/" + jobId + "/losses");
        JsonNode last = losses.get(losses.size() - 1);
        assertThat(last.get("step").asLong()).as("every reported loss, by step").isEqualTo(10);
        assertThat(last.get("loss").asDouble()).isEqualTo(1.0 / 11);
        assertThat(get("/jobs/no-such-job/losses").statusCode()).isEqualTo(404);

        Path grid = IngestFixtures.png(store().resolve("checkpoints/" + jobId + "/samples-step-00000010.png"));
        assertThat(getJson("/jobs/" + jobId + "/images").toString()).isEqualTo("[\"samples-step-00000010.png\"]");
        HttpResponse<byte[]> png = HTTP.send(TestApiKeys.request(uri("/jobs/" + jobId
                + "/images/samples-step-00000010.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.body()).isEqualTo(Files.readAllBytes(grid));
        assertThat(get("/jobs/" + jobId + "/images/step-000010").body()).contains("IMAGE_NOT_FOUND");
        assertThat(get("/jobs/" + jobId + "/images/..%2Fother.png").statusCode()).isIn(400, 404);

        assertThat(getJson("/jobs?state=SUCCEEDED&kind=t2i-finetune").toString()).contains(jobId);
        assertThat(getJson("/jobs?state=FAILED").toString()).doesNotContain(jobId);
        assertThat(get("/actuator/prometheus").body()).contains("recap_orchestrator_queue_wait_seconds_count{",
                "kind=\"T2I_FINETUNE\"");
    }

    @Test
    void transientFailuresAreRetriedAndTheRetryResumesFromTheCheckpoint() throws Exception {
        String jobId = submit("""
                {"kind":"CAPTIONER_FINETUNE","spec":{"humanSet":"shapes-human-100","preset":"smoke"},
                 "params":{"simulate":true,"steps":6,"stepMillis":20,"checkpointEvery":2,"transientFailures":1}}""");

        JsonNode job = awaitState(jobId, JobState.SUCCEEDED);
        assertThat(job.get("failedAttempts").asInt()).isEqualTo(1);
        JsonNode attempts = job.get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("outcome").asString()).isEqualTo("FAILED");
        assertThat(attempts.get(0).get("reason").asString()).isEqualTo("simulated transient failure in attempt 1");
        assertThat(attempts.get(1).get("outcome").asString()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(1).get("resumedFromStep").asLong()).isEqualTo(2);
        assertThat(job.get("logTail").toString()).contains("failed (transient)", "resumed from checkpoint at step 2");
    }

    @Test
    void aPermanentFailureKeepsItsReason() throws Exception {
        String jobId = submit("""
                {"kind":"EVALUATE","spec":{"model":"captioner/jobs-captioner/v1"},
                 "params":{"simulate":true,"steps":4,"stepMillis":10,"checkpointEvery":2,"failWith":"loss diverged at step 2"}}""");
        JsonNode job = awaitState(jobId, JobState.FAILED);
        assertThat(job.get("failureReason").asString()).isEqualTo("IllegalStateException: loss diverged at step 2");
        assertThat(job.get("attempts")).hasSize(1);
    }

    @Test
    void runningAndQueuedJobsCanBeCancelledButFinishedOnesCannot() throws Exception {
        String running = submit("""
                {"kind":"EVALUATE","spec":{"model":"captioner/jobs-captioner/v1"},
                 "params":{"simulate":true,"steps":100000,"stepMillis":20}}""");
        awaitState(running, JobState.RUNNING);
        String queued = submit("""
                {"kind":"EVALUATE","spec":{"model":"captioner/jobs-captioner/v1"},"params":{"simulate":true,"steps":5}}""");
        assertThat(getJson("/jobs/" + queued).get("state").asString()).as("one cpu slot").isEqualTo("QUEUED");

        HttpResponse<String> cancelQueued = post("/jobs/" + queued + "/cancel", null);
        assertThat(cancelQueued.statusCode()).isEqualTo(200);
        assertThat(json(cancelQueued).get("state").asString()).isEqualTo("CANCELLED");
        assertThat(json(cancelQueued).get("attempts")).isEmpty();

        HttpResponse<String> cancelRunning = post("/jobs/" + running + "/cancel", null);
        assertThat(json(cancelRunning).get("state").asString()).isEqualTo("CANCELLED");
        JsonNode cancelled = getJson("/jobs/" + running);
        assertThat(cancelled.get("attempts").get(0).get("outcome").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("failureReason").asString()).isEqualTo("cancelled by request");

        HttpResponse<String> again = post("/jobs/" + running + "/cancel", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"reason\":\"JOB_FINISHED\"", "\"state\":\"CANCELLED\"");
        // the slot is free again
        String next = submit("""
                {"kind":"EVALUATE","spec":{"model":"captioner/jobs-captioner/v1"},"params":{"simulate":true,"steps":2,"stepMillis":5}}""");
        awaitState(next, JobState.SUCCEEDED);
    }

    @Test
    void invalidRequestsAreClearProblemsNamingTheField() throws Exception {
        record Case(String body, int status, String field, String detail) {
        }
        List<Case> cases = List.of(
                new Case("{\"kind\":\"TRAIN_ALL\",\"spec\":{}}", 400, "kind", "unknown kind"),
                new Case("{\"kind\":\"EVALUATE\"}", 400, "spec", "spec is required"),
                new Case("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"captioner/nope/v9\"}}", 400, "spec.model",
                        "not in the model store"),
                new Case("""
                        {"kind":"T2I_FINETUNE","spec":{"corpusId":"no-such-corpus","captioner":"captioner/jobs-captioner/v1",
                         "captionMix":"mix","preset":"smoke"}}""", 400, "spec.corpusId", "not in the catalog"),
                new Case("""
                        {"kind":"T2I_FINETUNE","spec":{"corpusId":"jobs-corpus","captioner":"captioner/jobs-captioner/v1",
                         "captionMix":"short=abc","preset":"smoke"}}""", 400, "spec.captionMix", "not a number"),
                new Case("""
                        {"kind":"RELABEL","spec":{"corpusId":"jobs-corpus","captioner":"captioner/jobs-captioner/v1",
                         "styles":["tiny"]}}""", 400, "spec.styles", "unknown caption style"),
                new Case("""
                        {"kind":"RELABEL","spec":{"corpusId":"jobs-corpus","captioner":"captioner/jobs-captioner/v1"},
                         "params":{"only":"everything"}}""", 400, "params.only", "must be one of [missing, failed]"),
                new Case("""
                        {"kind":"RELABEL","spec":{"corpusId":"jobs-corpus","captioner":"captioner/jobs-captioner/v1"},
                         "params":{"retryFailures":true}}""", 400, "params.retryFailures", "replaced by params.only"),
                new Case("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"captioner/jobs-captioner/v1\"},\"pool\":\"tpu\"}",
                        400, "pool", "unknown pool 'tpu'"),
                new Case("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"captioner/jobs-captioner/v1\"},\"priority\":5000}",
                        400, "priority", "between"),
                new Case("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"captioner/jobs-captioner/v1\"},"
                        + "\"params\":{\"bad key\":1}}", 400, "params.bad key", "params key"),
                new Case("{\"kind\":\"EVALUATE\",\"spec\":\"model please\"}", 400, "spec", "spec"),
                new Case("{\"kind\":\"EVALUATE\",", 400, null, "not valid JSON"));
        for (Case c : cases) {
            HttpResponse<String> response = post("/jobs", c.body());
            assertThat(response.statusCode()).as(c.body()).isEqualTo(c.status());
            assertThat(response.headers().firstValue("Content-Type")).as(c.body()).hasValue("application/problem+json");
            JsonNode problem = json(response);
            assertThat(problem.get("reason")).as(c.body()).isNotNull();
            if (c.field() != null) {
                assertThat(problem.get("field").asString()).as(c.body()).isEqualTo(c.field());
            }
            assertThat(problem.get("detail").asString()).as(c.body()).containsIgnoringCase(c.detail());
        }
        assertThat(get("/jobs/jdoesnotexist").statusCode()).isEqualTo(404);
        assertThat(get("/jobs?state=SLEEPING").body()).contains("\"field\":\"state\"");
    }

    @Test
    void trainingEventsAreAppliedOncePerJobAndStepAndBadOnesAreSkipped() throws Exception {
        // The gpu pool has no slots on this machine, so this job waits and only the test's events touch it.
        String jobId = submit("""
                {"kind":"EVALUATE","pool":"gpu","spec":{"model":"captioner/jobs-captioner/v1"}}""");
        double duplicatesBefore = metrics.messageCount(Topics.TRAINING_EVENTS, "duplicate");
        double malformedBefore = metrics.messageCount(Topics.TRAINING_EVENTS, "malformed");

        // The job never started an attempt, so these events say none, as a trainer older than the field would.
        send(Topics.TRAINING_EVENTS, noAttempt(TrainingEvent.checkpoint(jobId, 1, 3, "checkpoints/" + jobId + "/step-3")));
        send(Topics.TRAINING_EVENTS, noAttempt(TrainingEvent.checkpoint(jobId, 1, 3, "checkpoints/" + jobId + "/step-3")));
        send(Topics.TRAINING_EVENTS, noAttempt(TrainingEvent.metrics(jobId, 1, 3L, Map.of("fid", 17.87))));
        send(Topics.TRAINING_EVENTS, noAttempt(TrainingEvent.metrics(jobId, 1, 3L, Map.of("fid", 99.0))));
        send(Topics.TRAINING_EVENTS, noAttempt(TrainingEvent.metrics(jobId, 1, 5L, Map.of("fid", 14.84))));
        sendRaw(Topics.TRAINING_EVENTS, jobId, "{\"schemaVersion\":1,\"jobId\":\"x\",\"type\":\"PROGRESS\"}"
                .getBytes(StandardCharsets.UTF_8));
        send(Topics.TRAINING_EVENTS, TrainingEvent.checkpoint("junknown", 1, 1, "checkpoints/junknown/step-1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.messageCount(Topics.TRAINING_EVENTS, "unknown_job") >= 1);
        assertThat(metrics.messageCount(Topics.TRAINING_EVENTS, "duplicate") - duplicatesBefore).isEqualTo(2);
        assertThat(metrics.messageCount(Topics.TRAINING_EVENTS, "malformed") - malformedBefore).isEqualTo(1);
        JsonNode job = getJson("/jobs/" + jobId);
        assertThat(job.get("state").asString()).isEqualTo("QUEUED");
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(3);
        assertThat(job.get("metrics").get("fid").get("value").asDouble()).isEqualTo(14.84);
        assertThat(job.get("metrics").get("fid").get("step").asLong()).isEqualTo(5);
        assertThat(job.get("logTail").toString()).containsOnlyOnce("checkpoint at step 3");

        assertThat(json(post("/jobs/" + jobId + "/cancel", null)).get("state").asString()).isEqualTo("CANCELLED");
    }

    private static TrainingEvent noAttempt(TrainingEvent e) {
        return new TrainingEvent(e.schemaVersion(), e.jobId(), null, e.type(), e.step(), e.totalSteps(), e.loss(),
                e.rate(), e.etaSeconds(), e.checkpointPath(), e.metrics(), e.state(), e.message(), e.timestamp());
    }
}
