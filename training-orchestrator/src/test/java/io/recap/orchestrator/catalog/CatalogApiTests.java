package io.recap.orchestrator.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.support.IngestFixtures;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.service.security.TestApiKeys;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Kafka in (corpus ingest, relabel results), catalog out (REST and dataset snapshots). */
class CatalogApiTests extends OrchestratorIntegrationTest {

    private static final ModelRef V1 = ModelRef.captioner("shapes", "v1");
    private static final ModelRef V2 = ModelRef.captioner("shapes", "v2");

    @Autowired
    OrchestratorMetrics metrics;

    @Test
    void ingestIsIdempotentAndMalformedMessagesAreCountedWithoutStoppingTheListener() throws Exception {
        double malformedBefore = metrics.messageCount(Topics.CORPUS_INGEST, "malformed");
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};
        CorpusIngestBatch b1 = new CorpusIngestBatch("corpus-a", "b1", List.of(
                new CorpusIngestBatch.Item("img-1", ImageRef.ofUri("file:/data/shapes/img-1.png"), "© photographer"),
                new CorpusIngestBatch.Item("img-2", ImageRef.ofUri("s3://bucket/img-2.png"), "IMG_0042.JPG"),
                new CorpusIngestBatch.Item("img-3", ImageRef.inline(png), "")));
        CorpusIngestBatch b2 = new CorpusIngestBatch("corpus-a", "b2", List.of(
                new CorpusIngestBatch.Item("img-4", ImageRef.ofUri("file:/data/shapes/img-4.png"), "red circle"),
                new CorpusIngestBatch.Item("img-1", ImageRef.ofUri("file:/elsewhere.png"), "a second registration")));

        sendRaw(Topics.CORPUS_INGEST, "corpus-a", "this is not json".getBytes(StandardCharsets.UTF_8));
        sendRaw(Topics.CORPUS_INGEST, "corpus-a", "{\"schemaVersion\":99,\"corpusId\":\"corpus-a\"}".getBytes(StandardCharsets.UTF_8));
        sendRaw(Topics.CORPUS_INGEST, "corpus-a", null);
        send(Topics.CORPUS_INGEST, b1);
        send(Topics.CORPUS_INGEST, b1);
        send(Topics.CORPUS_INGEST, b2);

        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.messageCount(Topics.CORPUS_INGEST, "accepted") >= 2
                && metrics.messageCount(Topics.CORPUS_INGEST, "duplicate") >= 1);
        JsonNode corpus = getJson("/corpora/corpus-a");
        assertThat(corpus.get("imageCount").asLong()).isEqualTo(4);
        assertThat(corpus.get("batchCount").asLong()).isEqualTo(2);
        assertThat(metrics.messageCount(Topics.CORPUS_INGEST, "malformed") - malformedBefore).isEqualTo(3);

        // The inline image was written under the first allowed image root and catalogued by file: uri; the duplicate
        // img-1 kept its first uri.
        Path snapshot = snapshot("corpus-a", V1);
        List<JsonNode> records = records(snapshot);
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        records.forEach(r -> byId.put(r.get("imageId").asString(), r));
        assertThat(byId.keySet()).containsExactly("img-1", "img-2", "img-3", "img-4");
        assertThat(byId.get("img-1").get("image").asString()).isEqualTo("file:/data/shapes/img-1.png");
        assertThat(byId.get("img-1").get("altText").asString()).isEqualTo("© photographer");
        String inline = byId.get("img-3").get("image").asString();
        assertThat(inline).startsWith("file:");
        assertThat(Path.of(URI.create(inline))).as("where the relabel workers may read it")
                .startsWith(DATA_DIR.resolve("corpora").resolve("corpus-a").resolve("inline"));
        assertThat(Files.readAllBytes(Path.of(URI.create(inline)))).isEqualTo(png);
    }

    @Test
    void relabelResultsBecomeCaptionsWithLineageAndSnapshotsExportThem() throws Exception {
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch("corpus-b", "b1", List.of(
                new CorpusIngestBatch.Item("x1", ImageRef.ofUri("file:/data/x1.png"), "stock keywords"),
                new CorpusIngestBatch.Item("x2", ImageRef.ofUri("file:/data/x2.png"), ""),
                new CorpusIngestBatch.Item("x3", ImageRef.ofUri("file:/data/x3.png"), "DSC_001"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/corpus-b").statusCode() == 200);

        RelabelResult x1 = RelabelResult.success("x1", "corpus-b", "r1", V1,
                Map.of(CaptionStyle.SHORT, "a red circle", CaptionStyle.LONG, "a large red circle at the top left"));
        send(Topics.RELABEL_RESULTS, x1);
        send(Topics.RELABEL_RESULTS, x1);
        send(Topics.RELABEL_RESULTS, RelabelResult.success("x1", "corpus-b", "r1", V1,
                Map.of(CaptionStyle.SHORT, "a different caption, replayed later")));
        send(Topics.RELABEL_RESULTS, RelabelResult.success("x2", "corpus-b", "r1", V1,
                Map.of(CaptionStyle.SHORT, "two blue squares")));
        send(Topics.RELABEL_RESULTS, RelabelResult.failure("x3", "corpus-b", "r1", V1, "TRUNCATED", "half a png"));
        send(Topics.RELABEL_RESULTS, RelabelResult.success("x1", "corpus-b", "r2", V2,
                Map.of(CaptionStyle.SHORT, "v2 says: a circle")));
        send(Topics.RELABEL_RESULTS, RelabelResult.success("nope", "corpus-b", "r1", V1,
                Map.of(CaptionStyle.SHORT, "an image nobody ingested")));
        sendRaw(Topics.RELABEL_RESULTS, "x1", "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.messageCount(Topics.RELABEL_RESULTS, "unknown_image") >= 1);
        JsonNode corpus = getJson("/corpora/corpus-b");
        assertThat(corpus.get("captions").get("captioner/shapes/v1").get("SHORT").asLong()).isEqualTo(2);
        assertThat(corpus.get("captions").get("captioner/shapes/v1").get("LONG").asLong()).isEqualTo(1);
        assertThat(corpus.get("captions").get("captioner/shapes/v2").get("SHORT").asLong()).isEqualTo(1);
        assertThat(corpus.get("relabelFailures").get("captioner/shapes/v1").asLong()).isEqualTo(1);
        assertThat(corpus.get("relabelFailureReasons").get("captioner/shapes/v1").get("TRUNCATED").asLong()).isEqualTo(1);

        Path snapshot = snapshot("corpus-b", V1);
        JsonNode manifest = Json.mapper().readTree(Files.readAllBytes(snapshot.resolve("snapshot.json")));
        assertThat(manifest.get("format").asString()).isEqualTo("recap.snapshot/v1");
        assertThat(manifest.get("imageCount").asLong()).isEqualTo(3);
        assertThat(manifest.get("captionCount").asLong()).isEqualTo(3);
        assertThat(manifest.get("shards").get(0).asString()).endsWith("/part-0000.jsonl");
        Map<String, JsonNode> byId = new java.util.TreeMap<>();
        records(snapshot).forEach(r -> byId.put(r.get("imageId").asString(), r));
        assertThat(byId.get("x1").get("captions").get("SHORT").asString()).isEqualTo("a red circle");
        assertThat(byId.get("x1").get("captions").get("LONG").asString()).isEqualTo("a large red circle at the top left");
        assertThat(byId.get("x2").get("captions").size()).isEqualTo(1);
        assertThat(byId.get("x3").get("captions").size()).isZero();
        assertThat(byId.get("x3").get("altText").asString()).isEqualTo("DSC_001");

        assertThat(getJson("/corpora/corpus-b").get("snapshots").get(0).get("snapshotId").asString())
                .isEqualTo(manifest.get("snapshotId").asString());
        assertThat(get("/corpora").body()).contains("\"corpusId\":\"corpus-b\"");
    }

    @Test
    void aResultThatOvertakesItsImagesIngestBatchIsAppliedOnRetry() throws Exception {
        send(Topics.RELABEL_RESULTS, RelabelResult.success("early-1", "corpus-c", "r1", V1,
                Map.of(CaptionStyle.SHORT, "a green triangle")));
        Thread.sleep(300);
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch("corpus-c", "b1", List.of(
                new CorpusIngestBatch.Item("early-1", ImageRef.ofUri("file:/data/early-1.png"), "green"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/corpus-c").statusCode() == 200
                && getJson("/corpora/corpus-c").get("captions").has("captioner/shapes/v1"));
        assertThat(getJson("/corpora/corpus-c").get("captions").get("captioner/shapes/v1").get("SHORT").asLong())
                .isEqualTo(1);
    }

    @Test
    void theImagesComeAPageAtATimeWithTheirAltTextCaptionsAndFailuresAndEachImagesFileIsServed() throws Exception {
        Path png = IngestFixtures.png(DATA_DIR.resolve("corpora/corpus-d/d1.png"));
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch("corpus-d", "b1", List.of(
                new CorpusIngestBatch.Item("d1", ImageRef.ofUri(png.toUri().toString()), "alt one"),
                new CorpusIngestBatch.Item("d2", ImageRef.ofUri(png.resolveSibling("gone.png").toUri().toString()),
                        "alt two"),
                new CorpusIngestBatch.Item("d3", ImageRef.ofUri("file:/data/d3.png"), "alt three"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/corpus-d").statusCode() == 200);
        send(Topics.RELABEL_RESULTS, RelabelResult.success("d1", "corpus-d", "r1", V1,
                Map.of(CaptionStyle.SHORT, "a red bar", CaptionStyle.LONG, "a red bar on the left of a white field")));
        send(Topics.RELABEL_RESULTS, RelabelResult.failure("d2", "corpus-d", "r1", V1, "DECODE", "not an image"));
        await().atMost(Duration.ofSeconds(30)).until(() -> getJson("/corpora/corpus-d").get("relabelFailures")
                .has(V1.toString()) && getJson("/corpora/corpus-d").get("captions").has(V1.toString()));

        JsonNode first = getJson("/corpora/corpus-d/images?size=2&captioner=" + V1);
        assertThat(first.get("images")).hasSize(2);
        assertThat(first.get("images").get(0).get("altText").asString()).isEqualTo("alt one");
        assertThat(first.get("images").get(0).get("captions").get("LONG").asString())
                .isEqualTo("a red bar on the left of a white field");
        assertThat(first.get("images").get(1).get("failure").asString()).isEqualTo("DECODE");
        assertThat(first.get("next").asString()).isEqualTo("d2");
        JsonNode last = getJson("/corpora/corpus-d/images?size=2&after=d2");
        assertThat(last.get("images")).hasSize(1);
        assertThat(last.get("images").get(0).get("imageId").asString()).isEqualTo("d3");
        assertThat(last.get("images").get(0).get("captions").size()).as("no captioner asked for").isZero();
        assertThat(last.get("next").isNull()).as("the last page").isTrue();

        assertThat(ids("/corpora/corpus-d/images?captioner=" + V1 + "&lacks=long")).containsExactly("d2", "d3");
        assertThat(ids("/corpora/corpus-d/images?captioner=" + V1 + "&has=LONG")).containsExactly("d1");
        assertThat(ids("/corpora/corpus-d/images?captioner=" + V1 + "&failure=any")).containsExactly("d2");
        assertThat(ids("/corpora/corpus-d/images?captioner=" + V1 + "&failure=TRUNCATED")).isEmpty();
        assertThat(ids("/corpora/corpus-d/images?captioner=" + V1 + "&q=RED%20BAR")).as("in a caption")
                .containsExactly("d1");
        assertThat(ids("/corpora/corpus-d/images?q=two")).as("in the alt-text").containsExactly("d2");
        assertThat(ids("/corpora/corpus-d/images?q=%25")).as("% is a character, not a wildcard").isEmpty();
        assertThat(ids("/corpora/corpus-d/images?size=1&captioner=" + V1 + "&lacks=LONG&after=d2"))
                .containsExactly("d3");
        HttpResponse<String> noCaptioner = get("/corpora/corpus-d/images?has=LONG");
        assertThat(noCaptioner.statusCode()).isEqualTo(400);
        assertThat(noCaptioner.body()).contains("needs a captioner");
        assertThat(get("/corpora/corpus-d/images?captioner=" + V1 + "&lacks=ALTO").body())
                .contains("\"field\":\"lacks\"");

        HttpResponse<byte[]> image = HTTP.send(TestApiKeys.request(
                uri("/corpora/corpus-d/image?imageId=d1")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(Files.readAllBytes(png));
        HttpResponse<String> gone = get("/corpora/corpus-d/image?imageId=d2");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("\"reason\":\"IMAGE_NOT_FOUND\"", "is gone");
        assertThat(get("/corpora/corpus-d/image?imageId=nope").body()).contains("has no image 'nope'");
        assertThat(get("/corpora/corpus-d/images?size=0").statusCode()).isEqualTo(400);
    }

    @Test
    void unknownCorporaAndBadCaptionersAreProblems() throws Exception {
        HttpResponse<String> missing = get("/corpora/no-such-corpus");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(missing.body()).contains("\"reason\":\"CORPUS_NOT_FOUND\"");

        HttpResponse<String> bad = post("/corpora/corpus-b/snapshots?captioner=text-to-image/sd/v1", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"captioner\"", "expected a captioner model");
    }

    private List<String> ids(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(response).get("images").forEach(image -> ids.add(image.get("imageId").asString()));
        return ids;
    }

    private Path snapshot(String corpusId, ModelRef captioner) throws Exception {
        HttpResponse<String> response = post("/corpora/" + corpusId + "/snapshots?captioner=" + captioner, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return store().resolve("snapshots").resolve(json(response).get("snapshotId").asString());
    }

    private static List<JsonNode> records(Path snapshot) throws Exception {
        return Files.readAllLines(snapshot.resolve("part-0000.jsonl")).stream()
                .map(line -> Json.mapper().readTree(line)).toList();
    }
}
