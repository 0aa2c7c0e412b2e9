package io.recap.orchestrator.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.JobState;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelRequest;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.executor.local.LocalExecutor;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * RELABEL jobs against a stand-in worker (a plain consumer that answers every request at once, no model):
 * planning, skipping, lineage, progress, metrics, stall and cancellation. The real workers are exercised
 * by {@code recap-integration-tests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelabelTaskTests extends OrchestratorIntegrationTest {

    private static final int IMAGES = 50;

    @Autowired
    ModelStore models;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LocalExecutor localExecutor;

    /** This context's broker (the system property spring.kafka.bootstrap-servers follows the newest broker). */
    @Autowired
    EmbeddedKafkaBroker broker;

    /** Every request the stand-in worker received. */
    final List<RelabelRequest> received = new CopyOnWriteArrayList<>();
    /** {@code corpus/imageId} of "-bad" images whose file a test has repaired: the stand-in captions them. */
    final Set<String> fixed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread worker;

    @BeforeAll
    void startStandInWorker() {
        worker = new Thread(this::serve, "stand-in-relabel-worker");
        worker.setDaemon(true);
        worker.start();
    }

    @AfterAll
    void stopStandInWorker() throws InterruptedException {
        running.set(false);
        worker.join(5_000);
    }

    @BeforeEach
    void corpusAndCaptioners() throws Exception {
        TestModels.captioner(models, "fake", "v1");
        TestModels.captioner(models, "fake", "v2");
        TestModels.captioner(models, "fake", "silent");
    }

    @Test
    void aCorpusIsRelabelledOnceAndARerunSendsOnlyTheFailedImagesWhileANewVersionKeepsTheOldCaptions()
            throws Exception {
        String corpus = ingest("relabel-a");

        String first = submitRelabel(corpus, "captioner/fake/v1", "\"batchSize\":8");
        JsonNode job = awaitFinished(first, JobState.SUCCEEDED);
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(IMAGES);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + first).get("metrics");
            assertThat(metrics.get("images.sent").get("value").asDouble()).isEqualTo(IMAGES);
            assertThat(metrics.get("batches.sent").get("value").asDouble()).isEqualTo(7);
            assertThat(metrics.get("images.done").get("value").asDouble()).isEqualTo(IMAGES);
            assertThat(metrics.get("images.failed").get("value").asDouble()).isEqualTo(2);
            assertThat(metrics.get("images.failed.TRUNCATED").get("value").asDouble()).isEqualTo(2);
            assertThat(metrics.get("images.captioned").get("value").asDouble()).isEqualTo(IMAGES - 2);
            assertThat(metrics.get("images.skipped").get("value").asDouble()).isZero();
        });
        assertThat(job.get("logTail").toString()).contains("relabel finished: 50 of 50 images",
                "2 errors {TRUNCATED=2}");
        assertThat(requestsFor(corpus)).hasSize(7).allSatisfy(r -> {
            assertThat(r.key()).startsWith(corpus + "/" + first + "-");
            assertThat(r.styles()).containsExactly(CaptionStyle.SHORT, CaptionStyle.LONG);
        });
        assertThat(captionRows(corpus, "captioner/fake/v1")).isEqualTo(2L * (IMAGES - 2));
        List<String> v1Captions = captions(corpus, "captioner/fake/v1");

        // The same captioner again (only=missing by default): the captioned images are skipped, the two that
        // failed lack captions and are sent again (and fail again).
        String again = submitRelabel(corpus, "captioner/fake/v1", "\"batchSize\":8");
        JsonNode rerun = awaitFinished(again, JobState.SUCCEEDED);
        assertThat(rerun.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + again).get("metrics");
            assertThat(metrics.get("images.sent").get("value").asDouble()).isEqualTo(2);
            assertThat(metrics.get("images.skipped").get("value").asDouble()).isEqualTo(IMAGES - 2);
            assertThat(metrics.get("images.captioned").get("value").asDouble()).isZero();
            assertThat(metrics.get("images.failed.TRUNCATED").get("value").asDouble()).isEqualTo(2);
        });
        assertThat(requestsFor(corpus)).hasSize(8);
        assertThat(requestsFor(corpus).get(7).items()).extracting(RelabelRequest.Item::imageId)
                .containsExactly("img-07-bad", "img-31-bad");

        // A new version (first SHORT only, then both: LONG is missing where SHORT came, both where it failed)
        // adds captions, v1's stay.
        awaitFinished(submitRelabel(corpus, "captioner/fake/v2", "[\"short\"]", "\"batchSize\":100"),
                JobState.SUCCEEDED);
        awaitFinished(submitRelabel(corpus, "captioner/fake/v2", null, "\"batchSize\":100"), JobState.SUCCEEDED);
        List<RelabelRequest> v2 = requestsFor(corpus).subList(8, requestsFor(corpus).size());
        assertThat(v2).hasSize(3);
        assertThat(v2.get(0).styles()).containsExactly(CaptionStyle.SHORT);
        assertThat(v2.get(0).items()).hasSize(IMAGES);
        // The second job's two batches may arrive in either order (their keys differ, so may their partitions).
        List<RelabelRequest> second = v2.subList(1, 3);
        assertThat(second).filteredOn(r -> r.styles().size() == 1).singleElement().satisfies(r -> {
            assertThat(r.styles()).containsExactly(CaptionStyle.LONG);
            assertThat(r.items()).hasSize(IMAGES - 2);
        });
        assertThat(second).filteredOn(r -> r.styles().size() == 2).singleElement().satisfies(r ->
                assertThat(r.items()).extracting(RelabelRequest.Item::imageId)
                        .containsExactly("img-07-bad", "img-31-bad"));
        assertThat(captionRows(corpus, "captioner/fake/v2")).isEqualTo(2L * (IMAGES - 2));
        assertThat(captions(corpus, "captioner/fake/v1")).isEqualTo(v1Captions);
        JsonNode counts = getJson("/corpora/" + corpus).get("captions");
        assertThat(counts.get("captioner/fake/v1").get("LONG").asLong()).isEqualTo(IMAGES - 2);
        assertThat(counts.get("captioner/fake/v2").get("LONG").asLong()).isEqualTo(IMAGES - 2);
    }

    @Test
    void onlyFailedResendsJustTheFailedImagesAndTheFailuresListEmptiesOnceTheyAreFixed() throws Exception {
        String corpus = ingest("relabel-failed");
        awaitFinished(submitRelabel(corpus, "captioner/fake/v1", "[\"short\"]", "\"batchSize\":100"),
                JobState.SUCCEEDED);

        JsonNode failures = getJson("/corpora/" + corpus + "/failures?captioner=captioner/fake/v1&size=1");
        assertThat(failures.get("total").asLong()).isEqualTo(2);
        assertThat(failures.get("failures")).hasSize(1);
        JsonNode all = getJson("/corpora/" + corpus + "/failures?captioner=captioner/fake/v1");
        assertThat(all.get("failures")).extracting(f -> f.get("imageId").asString())
                .containsExactlyInAnyOrder("img-07-bad", "img-31-bad");
        assertThat(all.get("failures").get(0).get("imageUri").asString()).startsWith("file:/data/" + corpus + "/img-");
        assertThat(all.get("failures").get(0).get("code").asString()).isEqualTo("TRUNCATED");
        assertThat(all.get("failures").get(0).get("message").asString()).isEqualTo("half a png");
        assertThat(all.get("failures").get(0).has("at")).isTrue();

        // One file is repaired. Both styles are asked for, yet only the failed images are sent: the 48 that lack
        // LONG are left for an only=missing run.
        fixed.add(corpus + "/img-07-bad");
        String retry = submitRelabel(corpus, "captioner/fake/v1", "\"only\":\"failed\"");
        awaitFinished(retry, JobState.SUCCEEDED);
        List<RelabelRequest> sent = requestsFor(corpus).subList(1, requestsFor(corpus).size());
        assertThat(sent).flatExtracting(RelabelRequest::items).extracting(RelabelRequest.Item::imageId)
                .containsExactlyInAnyOrder("img-07-bad", "img-31-bad");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + retry).get("metrics");
            assertThat(metrics.get("images.skipped").get("value").asDouble()).isEqualTo(IMAGES - 2);
            assertThat(metrics.get("images.captioned").get("value").asDouble()).isEqualTo(1);
            assertThat(metrics.get("images.failed").get("value").asDouble()).isEqualTo(1);
            assertThat(metrics.get("images.failed.TRUNCATED").get("value").asDouble()).isEqualTo(1);
        });
        assertThat(getJson("/corpora/" + corpus + "/failures?captioner=captioner/fake/v1").get("failures"))
                .extracting(f -> f.get("imageId").asString()).containsExactly("img-31-bad");

        // The other one too; now the default sends the rest: LONG for 48 images and both styles for img-31.
        fixed.add(corpus + "/img-31-bad");
        String rest = submitRelabel(corpus, "captioner/fake/v1", "\"batchSize\":100");
        awaitFinished(rest, JobState.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + rest).get("metrics");
            assertThat(metrics.get("images.sent").get("value").asDouble()).isEqualTo(IMAGES - 1);
            assertThat(metrics.get("images.skipped").get("value").asDouble()).isEqualTo(1);
            assertThat(metrics.get("images.failed").get("value").asDouble()).isZero();
        });
        JsonNode none = getJson("/corpora/" + corpus + "/failures?captioner=captioner/fake/v1");
        assertThat(none.get("total").asLong()).isZero();
        assertThat(none.get("failures")).isEmpty();
        assertThat(captionRows(corpus, "captioner/fake/v1")).isEqualTo(2L * IMAGES);
    }

    @Test
    void theFailuresListRefusesAnUnknownCorpusAndBadPagingAsProblems() throws Exception {
        String corpus = ingest("relabel-failures-api");
        assertThat(get("/corpora/no-such-corpus/failures").statusCode()).isEqualTo(404);
        for (String query : List.of("page=-1", "size=0", "size=5000", "page=x", "captioner=t2i/x/v1")) {
            HttpResponse<String> response = get("/corpora/" + corpus + "/failures?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(query).hasValue("application/problem+json");
        }
        // The parameters' constraints name the parameter and say what it was.
        assertThat(get("/corpora/" + corpus + "/failures?page=-1").body()).contains("\"field\":\"page\"")
                .contains("page must be 0 or more but was -1");
        assertThat(get("/corpora/" + corpus + "/failures?size=5000").body()).contains("\"field\":\"size\"")
                .contains("size must be 1..1000 but was 5000");
        JsonNode empty = getJson("/corpora/" + corpus + "/failures");
        assertThat(empty.get("total").asLong()).isZero();
        assertThat(empty.get("size").asInt()).isEqualTo(50);
    }

    @Test
    void withoutResultsTheJobFailsWithAClearReasonOnceItsAttemptsAreSpent() throws Exception {
        String corpus = ingest("relabel-stall");
        String jobId = submitRelabel(corpus, "captioner/fake/silent", "\"stallTimeout\":\"1s\",\"pollInterval\":\"100ms\"");
        JsonNode job = awaitFinished(jobId, JobState.FAILED);
        assertThat(job.get("failureReason").asString()).contains("relabel stalled: no new result for PT1S",
                "50 of 50 sent images still have none", "consumer group relabel-workers");
        assertThat(job.get("attempts")).hasSize(3).allSatisfy(a -> assertThat(a.get("outcome").asString()).isEqualTo("FAILED"));
        // A retry resends the same batches: ids are {jobId}-{n} over the same images.
        List<String> keys = requestsFor(corpus).stream().map(RelabelRequest::key).toList();
        assertThat(keys).hasSize(6);
        assertThat(keys.subList(0, 2)).isEqualTo(keys.subList(2, 4)).isEqualTo(keys.subList(4, 6));
    }

    @Test
    void cancellingARunningRelabelStopsTheWaiting() throws Exception {
        String corpus = ingest("relabel-cancel");
        String jobId = submitRelabel(corpus, "captioner/fake/silent", "\"stallTimeout\":\"5m\",\"pollInterval\":\"100ms\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> getJson("/jobs/" + jobId).path("progress").has("total"));
        JsonNode progress = getJson("/jobs/" + jobId).get("progress");
        assertThat(progress.get("done").asLong()).isZero();
        assertThat(progress.get("total").asLong()).isEqualTo(IMAGES);

        assertThat(json(post("/jobs/" + jobId + "/cancel", null)).get("state").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(10)).until(() -> localExecutor.runningCount() == 0);
        assertThat(getJson("/jobs/" + jobId).get("attempts").get(0).get("outcome").asString()).isEqualTo("CANCELLED");
    }

    // ------------------------------------------------------------------ helpers

    /** Ingests {@value #IMAGES} images (two of which the stand-in worker fails) into a new corpus. */
    private String ingest(String corpus) throws Exception {
        List<CorpusIngestBatch.Item> items = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            String id = String.format("img-%02d", i) + (i == 7 || i == 31 ? "-bad" : "");
            items.add(new CorpusIngestBatch.Item(id, ImageRef.ofUri("file:/data/" + corpus + "/" + id + ".png"), "alt"));
        }
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch(corpus, "b1", items));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/" + corpus).statusCode() == 200);
        return corpus;
    }

    private String submitRelabel(String corpus, String captioner, String params) throws Exception {
        return submitRelabel(corpus, captioner, null, params);
    }

    private String submitRelabel(String corpus, String captioner, String styles, String params) throws Exception {
        return submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + corpus + "\",\"captioner\":\"" + captioner
                + "\"" + (styles == null ? "" : ",\"styles\":" + styles) + "},"
                + "\"params\":{" + (params == null ? "" : params) + "}}");
    }

    private JsonNode awaitFinished(String jobId, JobState state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> JobState.valueOf(getJson("/jobs/" + jobId).get("state").asString()).isTerminal());
        JsonNode job;
        try {
            job = getJson("/jobs/" + jobId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo(state.name());
        return job;
    }

    private List<RelabelRequest> requestsFor(String corpus) {
        return received.stream().filter(r -> r.corpusId().equals(corpus)).toList();
    }

    private long captionRows(String corpus, String captioner) {
        return jdbc.sql("SELECT COUNT(*) FROM captions WHERE corpus_id = ? AND captioner = ?")
                .params(corpus, captioner).query(Long.class).single();
    }

    private List<String> captions(String corpus, String captioner) {
        return jdbc.sql("SELECT image_id || '/' || style || '=' || caption FROM captions WHERE corpus_id = ? "
                + "AND captioner = ? ORDER BY image_id, style").params(corpus, captioner).query(String.class).list();
    }

    /** Answers each request at once: captions per requested style, a failure for images named "-bad" not fixed. */
    private void serve() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "stand-in-relabel-workers");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.RELABEL_REQUESTS));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    RelabelRequest request = CODEC.decode(record.value(), RelabelRequest.class);
                    received.add(request);
                    if (request.captioner().version().equals("silent")) {
                        continue;
                    }
                    for (RelabelRequest.Item item : request.items()) {
                        RelabelResult result;
                        if (item.imageId().endsWith("-bad") && !fixed.contains(request.corpusId() + "/" + item.imageId())) {
                            result = RelabelResult.failure(item.imageId(), request.corpusId(), request.batchId(),
                                    request.captioner(), "TRUNCATED", "half a png");
                        } else {
                            Map<CaptionStyle, String> captions = new EnumMap<>(CaptionStyle.class);
                            request.styles().forEach(style -> captions.put(style,
                                    request.captioner().version() + " " + style + " of " + item.imageId()));
                            result = RelabelResult.success(item.imageId(), request.corpusId(), request.batchId(),
                                    request.captioner(), captions);
                        }
                        kafka.send(Topics.RELABEL_RESULTS, result.key(), CODEC.encode(result));
                    }
                    kafka.flush();
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                throw e;
            }
        }
    }
}
