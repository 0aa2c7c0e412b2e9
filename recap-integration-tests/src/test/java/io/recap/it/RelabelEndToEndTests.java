package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.ingest.IngestCli;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.text.AltTextConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * RECAP step 2 end to end on a real in-process KRaft broker (4 partitions): a 1,000-image ShapesWorld corpus
 * ingested through {@code POST /corpora/{id}/ingest}, RELABEL jobs through {@code POST /jobs} on the real
 * orchestrator, two real relabel workers in one consumer group, results back into the orchestrator's catalog.
 * The methods build on each other, in order.
 */
@PlatformBroker
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelabelEndToEndTests {

    private static final String CORPUS = "shapes-1k";
    private static final int IMAGES = 1000;

    Path tempDir;
    RecapPlatform platform;
    Path corpusDir;
    ModelRef v1;
    JdbcClient db;

    @BeforeAll
    void startPlatform(EmbeddedKafkaBroker broker, @TempDir Path tempDir) throws Exception {
        this.tempDir = tempDir;
        platform = new RecapPlatform(broker.getBrokersAsString(), tempDir);
        corpusDir = platform.imageRoot().resolve(CORPUS);
        CorpusGenerator.generate(new CorpusConfig(corpusDir, IMAGES, 42, 32, 100, 100, AltTextConfig.defaults()),
                line -> { });
        platform.startOrchestrator();
        db = platform.orchestrator().getBean(JdbcClient.class);
        v1 = platform.publishTinyCaptioner("shapes-tiny", "v1", 11);
        platform.startWorker();
        platform.startWorker();
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theCorpusIsIngestedThroughRestOnceHoweverOftenItIsSent() throws Exception {
        HttpResponse<String> response = ingest(CORPUS, corpusDir.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode receipt = RecapPlatform.json(response);
        assertThat(receipt.get("images").asInt()).isEqualTo(IMAGES);
        assertThat(receipt.get("batches").asInt()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.get("/corpora/" + CORPUS).statusCode() == 200
                && platform.getJson("/corpora/" + CORPUS).get("imageCount").asLong() == IMAGES);

        // Again by REST (relative to the root) and by the CLI: the same ten batches, recognised and skipped.
        long ingestRecords = platform.endOffsets(Topics.CORPUS_INGEST);
        assertThat(ingest(CORPUS, CORPUS).statusCode()).isEqualTo(202);
        assertThat(IngestCli.run("--corpus", CORPUS, "--manifest", corpusDir.toString(),
                "--bootstrap-servers", platform.brokers())).isZero();
        assertThat(platform.endOffsets(Topics.CORPUS_INGEST)).isEqualTo(ingestRecords + 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicateIngests() >= 20);
        JsonNode corpus = platform.getJson("/corpora/" + CORPUS);
        assertThat(corpus.get("imageCount").asLong()).isEqualTo(IMAGES);
        assertThat(corpus.get("batchCount").asLong()).isEqualTo(10);
        assertThat(db.sql("SELECT COUNT(*) FROM images WHERE corpus_id = ?").param(CORPUS).query(Long.class).single())
                .isEqualTo(IMAGES);

        // A directory outside the allowed roots is refused before anything is read.
        Path outside = Files.createDirectories(tempDir.resolve("elsewhere"));
        CorpusGenerator.generate(CorpusConfig.of(outside, 2, 1), line -> { });
        HttpResponse<String> refused = ingest("elsewhere", outside.toString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"reason\":\"UNSAFE_PATH\"", "\"field\":\"manifestDir\"");
    }

    @Test
    @Order(2)
    void aRelabelJobCaptionsEveryImageOnceInEachStyleAcrossTwoWorkers() throws Exception {
        platform.awaitWorkersAssigned(2, Duration.ofSeconds(60));
        long start = System.nanoTime();
        String jobId = platform.submit(relabelJob(v1));
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(3));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(IMAGES);
        Outcome outcome = outcome(v1);
        assertThat(outcome.captioned() + outcome.failed()).isEqualTo(IMAGES);
        assertThat(outcome.captioned()).isPositive();
        JsonNode counts = platform.getJson("/corpora/" + CORPUS);
        assertThat(counts.get("captions").get(v1.toString()).get("SHORT").asLong()).isEqualTo(outcome.captioned());
        assertThat(counts.get("captions").get(v1.toString()).get("LONG").asLong()).isEqualTo(outcome.captioned());
        assertThat(counts.path("relabelFailures").path(v1.toString()).asLong(0)).isEqualTo(outcome.failed());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = platform.getJson("/jobs/" + jobId).get("metrics");
            assertThat(metrics.get("images.sent").get("value").asDouble()).isEqualTo(IMAGES);
            assertThat(metrics.get("batches.sent").get("value").asDouble()).isEqualTo(32);
            assertThat(metrics.get("images.failed").get("value").asDouble()).isEqualTo(outcome.failed());
        });
        // Both workers of the consumer group took a share of the 4 partitions.
        for (ConfigurableApplicationContext worker : platform.workers()) {
            assertThat(worker.getBean(MeterRegistry.class).get("recap.relabel.images").counters())
                    .as("each worker captioned some images").isNotEmpty();
        }
        System.out.printf(Locale.ROOT, "relabel e2e (2 workers): %d images, %d captioned, %d errors %s, %d batches, "
                        + "%.1f s from POST /jobs to SUCCEEDED (%.1f images/s)%n", IMAGES, outcome.captioned(),
                outcome.failed(), outcome.failureCodes(), 32, seconds, IMAGES / seconds);
    }

    @Test
    @Order(3)
    void relabellingAgainWithTheSameCaptionerSendsOnlyTheFailedImages() throws Exception {
        long requests = platform.endOffsets(Topics.RELABEL_REQUESTS);
        List<String> captionsBefore = captions(v1);
        // only=missing (the default) retries the images whose last result was a failure; the captioned are skipped.
        long failedBefore = outcome(v1).failed();

        String jobId = platform.submit(relabelJob(v1));
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(1));

        assertThat(job.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(IMAGES);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = platform.getJson("/jobs/" + jobId).get("metrics");
            assertThat(metrics.get("images.sent").get("value").asDouble()).isEqualTo(failedBefore);
            assertThat(metrics.get("images.skipped").get("value").asDouble()).isEqualTo(IMAGES - failedBefore);
        });
        if (failedBefore == 0) {
            assertThat(platform.endOffsets(Topics.RELABEL_REQUESTS)).as("no new requests").isEqualTo(requests);
        }
        assertThat(captions(v1)).isEqualTo(captionsBefore);
        System.out.printf(Locale.ROOT, "relabel e2e rerun with %s: %d failed images resent, %s%n", v1, failedBefore,
                job.get("logTail").get(job.get("logTail").size() - 2).asString());
    }

    @Test
    @Order(4)
    void aNewCaptionerVersionAddsCaptionsAndKeepsTheOldOnes() throws Exception {
        ModelRef v2 = platform.publishTinyCaptioner("shapes-tiny", "v2", 12);
        List<String> v1Captions = captions(v1);
        Outcome v1Outcome = outcome(v1);

        String jobId = platform.submit(relabelJob(v2));
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(3));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        Outcome v2Outcome = outcome(v2);
        assertThat(v2Outcome.captioned() + v2Outcome.failed()).isEqualTo(IMAGES);
        assertThat(captions(v1)).as("v1's captions are untouched").isEqualTo(v1Captions);
        assertThat(outcome(v1)).isEqualTo(v1Outcome);
        assertThat(captions(v2)).isNotEqualTo(v1Captions);
        JsonNode counts = platform.getJson("/corpora/" + CORPUS).get("captions");
        assertThat(counts.get(v1.toString()).get("SHORT").asLong()).isEqualTo(v1Outcome.captioned());
        assertThat(counts.get(v2.toString()).get("SHORT").asLong()).isEqualTo(v2Outcome.captioned());
        System.out.printf(Locale.ROOT, "relabel e2e with %s: %d captioned, %d errors; %s keeps %d captioned%n", v2,
                v2Outcome.captioned(), v2Outcome.failed(), v1, v1Outcome.captioned());
    }

    // ------------------------------------------------------------------ helpers

    /** Per captioner version: images with exactly one caption in each style, images with one error, nothing else. */
    record Outcome(long captioned, long failed, Map<String, Long> failureCodes) {
    }

    private Outcome outcome(ModelRef captioner) {
        Map<String, Long> stylesPerImage = new TreeMap<>();
        db.sql("SELECT image_id, COUNT(*) AS n FROM captions WHERE corpus_id = ? AND captioner = ? GROUP BY image_id")
                .params(CORPUS, captioner.toString())
                .query((rs, i) -> stylesPerImage.put(rs.getString("image_id"), rs.getLong("n"))).list();
        assertThat(stylesPerImage.values()).as("one caption per style").allMatch(n -> n == 2);
        List<String> failed = db.sql("SELECT image_id FROM relabel_failures WHERE corpus_id = ? AND captioner = ?")
                .params(CORPUS, captioner.toString()).query(String.class).list();
        Set<String> both = new HashSet<>(failed);
        both.retainAll(stylesPerImage.keySet());
        assertThat(both).as("no image has both captions and an error").isEmpty();
        Map<String, Long> codes = new TreeMap<>();
        db.sql("SELECT code, COUNT(*) AS n FROM relabel_failures WHERE corpus_id = ? AND captioner = ? GROUP BY code")
                .params(CORPUS, captioner.toString())
                .query((rs, i) -> codes.put(rs.getString("code"), rs.getLong("n"))).list();
        return new Outcome(stylesPerImage.size(), failed.size(), codes);
    }

    private List<String> captions(ModelRef captioner) {
        return db.sql("SELECT image_id || '/' || style || '=' || caption FROM captions WHERE corpus_id = ? "
                        + "AND captioner = ? ORDER BY image_id, style")
                .params(CORPUS, captioner.toString()).query(String.class).list();
    }

    private long duplicateIngests() {
        var counter = platform.orchestrator().getBean(MeterRegistry.class).find("recap.orchestrator.messages")
                .tag("topic", Topics.CORPUS_INGEST).tag("outcome", "duplicate").counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private HttpResponse<String> ingest(String corpusId, String manifestDir) throws Exception {
        return platform.post("/corpora/" + corpusId + "/ingest", "{\"manifestDir\":\"" + manifestDir + "\"}");
    }

    private static String relabelJob(ModelRef captioner) {
        return "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + CORPUS + "\",\"captioner\":\"" + captioner + "\"}}";
    }
}
