package io.recap.orchestrator.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.messages.Topics;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.support.IngestFixtures;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /corpora/{id}/ingest} and the ingest CLI against the running service and broker: a corpus directory
 * in, catalogued images out. Each format's reading and its bad items are in {@link CorpusIngestServiceTest}.
 */
class IngestApiTests extends OrchestratorIntegrationTest {

    private static Path corpusDir;

    @Autowired
    OrchestratorMetrics metrics;

    /** This context's broker (the system property spring.kafka.bootstrap-servers follows the newest broker). */
    @Autowired
    EmbeddedKafkaBroker broker;

    @BeforeAll
    static void generateCorpus() throws Exception {
        // Under the orchestrator's default allowed root, ${recap.data-dir}/corpora.
        corpusDir = DATA_DIR.resolve("corpora/ingest-25");
        CorpusGenerator.generate(new CorpusConfig(corpusDir, 25, 3, 32, 5, 5,
                io.recap.shapes.text.AltTextConfig.defaults()), line -> { });
    }

    @Test
    void aManifestIsPublishedInBatchesAndCataloguedOnceHoweverOftenItIsIngested() throws Exception {
        HttpResponse<String> response = post("/corpora/ingest-rest/ingest", "{\"manifestDir\":\"" + corpusDir + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/corpora/ingest-rest");
        JsonNode receipt = json(response);
        assertThat(receipt.get("images").asInt()).isEqualTo(25);
        assertThat(receipt.get("batches").asInt()).isEqualTo(1);
        assertThat(receipt.get("topic").asString()).isEqualTo(Topics.CORPUS_INGEST);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/ingest-rest").statusCode() == 200
                && getJson("/corpora/ingest-rest").get("imageCount").asLong() == 25);

        // Relative to the allowed root, again by REST, then by the CLI: the same batch, so nothing changes.
        double duplicates = metrics.messageCount(Topics.CORPUS_INGEST, "duplicate");
        assertThat(post("/corpora/ingest-rest/ingest", "{\"manifestDir\":\"ingest-25\"}").statusCode()).isEqualTo(202);
        assertThat(IngestCli.run("--corpus", "ingest-rest", "--manifest", corpusDir.toString(),
                "--bootstrap-servers", broker.getBrokersAsString())).isZero();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metrics.messageCount(Topics.CORPUS_INGEST, "duplicate") >= duplicates + 2);
        JsonNode corpus = getJson("/corpora/ingest-rest");
        assertThat(corpus.get("imageCount").asLong()).isEqualTo(25);
        assertThat(corpus.get("batchCount").asLong()).isEqualTo(1);

        // The snapshot shows file: references to the corpus's images, with their alt-text.
        HttpResponse<String> snapshot = post("/corpora/ingest-rest/snapshots?captioner=captioner/none/v1", null);
        List<String> lines = Files.readAllLines(store().resolve("snapshots")
                .resolve(json(snapshot).get("snapshotId").asString()).resolve("part-0000.jsonl"));
        assertThat(lines).hasSize(25);
        JsonNode first = io.recap.core.json.Json.mapper().readTree(lines.get(0));
        assertThat(first.get("image").asString()).startsWith("file:").endsWith(".png");
        assertThat(Path.of(java.net.URI.create(first.get("image").asString()))).exists();
        assertThat(first.get("altText").asString()).isNotBlank();
    }

    @Test
    void theCliIngestsAnyManifestIntoAnyCorpus() throws Exception {
        assertThat(IngestCli.run("--corpus", "ingest-cli", "--manifest", corpusDir.toString(),
                "--bootstrap-servers", broker.getBrokersAsString(), "--batch-size", "10")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/ingest-cli").statusCode() == 200
                && getJson("/corpora/ingest-cli").get("imageCount").asLong() == 25);
        assertThat(getJson("/corpora/ingest-cli").get("batchCount").asLong()).isEqualTo(3);
        assertThat(IngestCli.run("--corpus", "ingest-cli")).isEqualTo(2);

        Path sidecar = DATA_DIR.resolve("corpora/cli-sidecar");
        IngestFixtures.png(sidecar.resolve("x.png"));
        IngestFixtures.text(sidecar.resolve("x.txt"), "a red half");
        IngestFixtures.jpeg(sidecar.resolve("nested/y.jpg"));
        assertThat(IngestCli.run("--corpus", "ingest-cli-sidecar", "--manifest", sidecar.toString(),
                "--bootstrap-servers", broker.getBrokersAsString(), "--format", "sidecar",
                "--allowed-roots", DATA_DIR.resolve("corpora").toString())).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/ingest-cli-sidecar").statusCode() == 200
                && getJson("/corpora/ingest-cli-sidecar").get("imageCount").asLong() == 2);
        assertThat(IngestCli.run("--corpus", "ingest-cli-sidecar", "--manifest", sidecar.toString(),
                "--bootstrap-servers", broker.getBrokersAsString(), "--format", "parquet")).isEqualTo(2);
    }

    @Test
    void manifestsOutsideTheAllowedRootsOrNotCorporaAreRefused() throws Exception {
        Path outside = Files.createTempDirectory("not-allowed");
        CorpusGenerator.generate(CorpusConfig.of(outside, 2, 1), line -> { });
        Path noManifest = Files.createDirectories(DATA_DIR.resolve("corpora/empty-dir"));
        Path sneaky = Files.createDirectories(DATA_DIR.resolve("corpora/sneaky"));
        String entry = Files.readAllLines(corpusDir.resolve("corpus.jsonl")).get(0);
        Files.writeString(sneaky.resolve("corpus.jsonl"),
                entry.replaceFirst("\"image\":\"[^\"]+\"", "\"image\":\"../../store/secret.png\"") + "\n");
        record Case(String corpus, String body, String reason, String field) {
        }
        for (Case c : List.of(
                new Case("c1", "{\"manifestDir\":\"" + outside + "\"}", "UNSAFE_PATH", "manifestDir"),
                new Case("c1", "{\"manifestDir\":\"ingest-25/../../store\"}", "UNSAFE_PATH", "manifestDir"),
                new Case("c1", "{\"manifestDir\":\"" + sneaky + "\"}", "UNSAFE_PATH", "manifestDir"),
                new Case("c1", "{\"manifestDir\":\"" + noManifest + "\"}", "NOT_A_CORPUS", "manifestDir"),
                new Case("c1", "{}", "INVALID_FIELD", "manifestDir"),
                new Case("c1", "{\"manifestDir\":\"ingest-25\",\"format\":\"tar\"}", "UNKNOWN_FORMAT", "format"),
                new Case("bad corpus!", "{\"manifestDir\":\"ingest-25\"}", "INVALID_FIELD", "corpusId"))) {
            HttpResponse<String> response = post("/corpora/" + c.corpus().replace(" ", "%20") + "/ingest", c.body());
            assertThat(response.statusCode()).as(c.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = json(response);
            assertThat(problem.get("reason").asString()).as(c.body()).isEqualTo(c.reason());
            assertThat(problem.get("field").asString()).as(c.body()).isEqualTo(c.field());
        }
        assertThat(get("/corpora/c1").statusCode()).isEqualTo(404);
    }
}
