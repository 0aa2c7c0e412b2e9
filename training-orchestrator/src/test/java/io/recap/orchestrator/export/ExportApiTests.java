package io.recap.orchestrator.export;

import static io.recap.orchestrator.support.IngestFixtures.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.service.security.TestApiKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /corpora/{id}/export} and the export CLI against the whole service: a corpus ingested and relabelled
 * over Kafka, exported in each format, checked member by member, with what was skipped and why.
 */
class ExportApiTests extends OrchestratorIntegrationTest {

    private static final ModelRef V1 = ModelRef.captioner("exporter", "v1");
    private static final String CAPTIONER = "captioner/exporter/v1";

    private static boolean ready;
    private static Map<String, byte[]> files;

    /**
     * Corpus {@code exp}: {@code cats/tabby} and {@code dogs/rex} captioned in both styles, {@code only-short} in
     * SHORT only, a Kafka producer's unsafe id {@code ../../etc/pass.wd} captioned, {@code failed} with a failed
     * relabel, {@code waiting} not captioned yet, and {@code gone} captioned but its file deleted since.
     */
    @BeforeEach
    void corpus() throws Exception {
        if (ready) {
            return;
        }
        Path root = DATA_DIR.resolve("corpora").resolve("export-src");
        files = new LinkedHashMap<>();
        List<CorpusIngestBatch.Item> items = new ArrayList<>();
        for (String id : List.of("cats/tabby", "dogs/rex", "only-short", "../../etc/pass.wd", "failed", "waiting",
                "gone")) {
            Path file = png(root.resolve("img-" + items.size() + ".png"));
            files.put(id, Files.readAllBytes(file));
            items.add(new CorpusIngestBatch.Item(id, ImageRef.ofUri(file.toUri().toString()), "alt of " + id));
        }
        send(Topics.CORPUS_INGEST, new CorpusIngestBatch("exp", "b1", items));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/exp").statusCode() == 200
                && getJson("/corpora/exp").get("imageCount").asLong() == 7);
        for (String id : List.of("cats/tabby", "dogs/rex", "../../etc/pass.wd", "gone")) {
            send(Topics.RELABEL_RESULTS, RelabelResult.success(id, "exp", "r1", V1,
                    Map.of(CaptionStyle.SHORT, "short of " + id, CaptionStyle.LONG, "long of " + id)));
        }
        send(Topics.RELABEL_RESULTS, RelabelResult.success("only-short", "exp", "r1", V1,
                Map.of(CaptionStyle.SHORT, "short of only-short")));
        send(Topics.RELABEL_RESULTS, RelabelResult.failure("failed", "exp", "r1", V1, "TRUNCATED", "half a png"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode corpus = getJson("/corpora/exp");
            return corpus.get("captions").has(CAPTIONER)
                    && corpus.get("captions").get(CAPTIONER).get("SHORT").asLong() == 5
                    && corpus.get("relabelFailures").has(CAPTIONER);
        });
        Files.delete(root.resolve("img-6.png"));
        ready = true;
    }

    @Test
    void aWebDatasetShardCarriesEachImageWithItsTextsAndJsonAndTheSummaryNamesWhatWasSkipped() throws Exception {
        HttpResponse<byte[]> response = export("format=webdataset&captioner=" + CAPTIONER);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-tar"));
        Map<String, byte[]> members = untar(response.body());
        String unsafeKey = ExportNames.of("../../etc/pass.wd", true);
        assertThat(unsafeKey).startsWith("__/__/etc/pass_wd~");
        assertThat(members.keySet()).containsExactly(
                unsafeKey + ".png", unsafeKey + ".txt", unsafeKey + ".short.txt", unsafeKey + ".long.txt",
                unsafeKey + ".json",
                "cats/tabby.png", "cats/tabby.txt", "cats/tabby.short.txt", "cats/tabby.long.txt", "cats/tabby.json",
                "dogs/rex.png", "dogs/rex.txt", "dogs/rex.short.txt", "dogs/rex.long.txt", "dogs/rex.json",
                "only-short.png", "only-short.txt", "only-short.short.txt", "only-short.json");
        assertThat(members.get("cats/tabby.png")).isEqualTo(files.get("cats/tabby"));
        assertThat(utf8(members.get("cats/tabby.txt"))).isEqualTo("long of cats/tabby\n");
        assertThat(utf8(members.get("only-short.txt"))).as("the main style falls back to the one there is")
                .isEqualTo("short of only-short\n");
        JsonNode json = Json.mapper().readTree(members.get(unsafeKey + ".json"));
        assertThat(json.get("image_id").asString()).isEqualTo("../../etc/pass.wd");
        assertThat(json.get("alt_text").asString()).isEqualTo("alt of ../../etc/pass.wd");
        assertThat(json.get("captions").get("short").asString()).isEqualTo("short of ../../etc/pass.wd");
        assertThat(json.get("captioner").asString()).isEqualTo(CAPTIONER);

        JsonNode summary = summary(response);
        assertThat(summary.get("images").asLong()).isEqualTo(7);
        assertThat(summary.get("exported").asLong()).isEqualTo(4);
        assertThat(summary.get("complete").asBoolean()).isTrue();
        assertThat(summary.get("skippedByReason").get("FAILED:TRUNCATED").asLong()).isEqualTo(1);
        assertThat(summary.get("skippedByReason").get("NOT_CAPTIONED").asLong()).isEqualTo(1);
        assertThat(summary.get("skippedByReason").get("UNREADABLE_IMAGE").asLong()).isEqualTo(1);
        assertThat(summary.get("skipped").findValuesAsString("imageId")).containsExactly("failed", "gone", "waiting");
    }

    @Test
    void sidecarTextsKeepTheImagesOwnNamesOneFilePerStyleOrOneChosenStyleAsNameTxt() throws Exception {
        Map<String, byte[]> perStyle = untar(export("format=sidecar&captioner=" + CAPTIONER).body());
        assertThat(perStyle).containsKeys("cats/tabby.short.txt", "cats/tabby.long.txt", "only-short.short.txt",
                "gone.long.txt").doesNotContainKeys("cats/tabby.png", "only-short.long.txt", "waiting.short.txt");
        assertThat(utf8(perStyle.get("dogs/rex.short.txt"))).isEqualTo("short of dogs/rex\n");
        assertThat(perStyle.keySet()).noneMatch(name -> name.contains(".."));

        HttpResponse<byte[]> chosen = export("format=sidecar&style=short&images=true&captioner=" + CAPTIONER);
        Map<String, byte[]> members = untar(chosen.body());
        assertThat(utf8(members.get("only-short.txt"))).isEqualTo("short of only-short\n");
        assertThat(members.get("dogs/rex.png")).isEqualTo(files.get("dogs/rex"));
        assertThat(members).doesNotContainKeys("gone.txt", "gone.png");
    }

    @Test
    void metadataJsonlHasOneLineForEachExportedImageWithAColumnPerStyleAndSkipsImagesLackingTheAskedStyle()
            throws Exception {
        HttpResponse<byte[]> response = export("format=metadata-jsonl&style=long&captioner=" + CAPTIONER);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        List<JsonNode> rows = utf8(response.body()).lines().map(line -> Json.mapper().readTree(line)).toList();
        assertThat(rows).extracting(row -> row.get("image_id").asString())
                .containsExactly("../../etc/pass.wd", "cats/tabby", "dogs/rex", "gone");
        JsonNode tabby = rows.get(1);
        assertThat(tabby.get("file_name").asString()).isEqualTo("cats/tabby.png");
        assertThat(tabby.get("text").asString()).isEqualTo("long of cats/tabby");
        assertThat(tabby.get("short_caption").asString()).isEqualTo("short of cats/tabby");
        assertThat(tabby.get("alt_text").asString()).isEqualTo("alt of cats/tabby");
        assertThat(summary(response).get("skippedByReason").get("MISSING_STYLE").asLong()).isEqualTo(1);
    }

    @Test
    void pagesWithLimitAndAfterCoverTheCorpusOnceInImageIdOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        String after = null;
        boolean complete = false;
        int pages = 0;
        while (!complete) {
            HttpResponse<byte[]> page = export("format=metadata-jsonl&limit=2&captioner=" + CAPTIONER
                    + (after == null ? "" : "&after=" + java.net.URLEncoder.encode(after, StandardCharsets.UTF_8)));
            utf8(page.body()).lines().forEach(line -> ids.add(Json.mapper().readTree(line).get("image_id").asString()));
            JsonNode summary = summary(page);
            after = summary.get("lastImageId").asString();
            complete = summary.get("complete").asBoolean();
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(ids).containsExactly("../../etc/pass.wd", "cats/tabby", "dogs/rex", "gone", "only-short");
    }

    @Test
    void badRequestsAreProblemsWithTheFieldAndNothingIsStreamed() throws Exception {
        assertProblem(export("format=zip&captioner=" + CAPTIONER), 400, "INVALID_FIELD", "format");
        assertProblem(export("format=sidecar&style=alt&captioner=" + CAPTIONER), 400, "INVALID_FIELD", "style");
        assertProblem(export("format=sidecar&captioner=model-without-kind"), 400, "INVALID_FIELD", "captioner");
        assertProblem(export("format=sidecar&limit=-1&captioner=" + CAPTIONER), 400, "INVALID_FIELD", "limit");
        HttpResponse<byte[]> unknown = HTTP.send(TestApiKeys.request(
                uri("/corpora/no-such/export?format=sidecar&captioner=" + CAPTIONER)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertProblem(unknown, 404, "CORPUS_NOT_FOUND", null);
        assertThat(get("/corpora/exp/exports/exp-0000").statusCode()).isEqualTo(404);
    }

    @Test
    void theCliWritesShardsAndGoesOnWhereAnInterruptedExportStopped(@TempDir Path out) throws Exception {
        String[] args = {"--url", "http://127.0.0.1:" + port, "--corpus", "exp", "--captioner", CAPTIONER,
                "--format", "webdataset", "--out", out.toString(), "--page-size", "3",
                "--api-key-file", operatorKey().toString()};
        assertThat(ExportCli.run(args)).isZero();
        assertThat(Json.read(Files.readAllBytes(out.resolve(ExportCli.STATE_FILE)), ExportCli.State.class).complete())
                .isTrue();
        List<String> shards;
        try (Stream<Path> list = Files.list(out)) {
            shards = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tar")).sorted().toList();
        }
        assertThat(shards).containsExactly("00000.tar", "00001.tar", "00002.tar");
        Map<String, byte[]> all = new LinkedHashMap<>();
        for (String shard : shards) {
            all.putAll(untar(Files.readAllBytes(out.resolve(shard))));
        }
        assertThat(all.keySet().stream().filter(n -> n.endsWith(".png")))
                .hasSize(4).contains("cats/tabby.png", "dogs/rex.png", "only-short.png");
        JsonNode report = Json.mapper().readTree(Files.readAllBytes(out.resolve(ExportCli.REPORT_FILE)));
        assertThat(report.get("exported").asLong()).isEqualTo(4);
        assertThat(report.get("skippedByReason").get("UNREADABLE_IMAGE").asLong()).isEqualTo(1);

        // An interrupted export: the state says one page was done and the second shard is a half-written part.
        byte[] firstShard = Files.readAllBytes(out.resolve("00000.tar"));
        Files.delete(out.resolve("00001.tar"));
        Files.delete(out.resolve("00002.tar"));
        Files.write(out.resolve("00001.tar.part"), new byte[] {1, 2, 3});
        ExportCli.State done = Json.read(Files.readAllBytes(out.resolve(ExportCli.STATE_FILE)), ExportCli.State.class);
        ExportCli.State afterOnePage = new ExportCli.State(done.corpus(), done.captioner(), done.format(),
                done.style(), done.images(), done.pageSize(), untarredLastId(firstShard), 1, 0, 3, 3, Map.of(),
                List.of(), false);
        Files.write(out.resolve(ExportCli.STATE_FILE), Json.writePretty(afterOnePage));
        assertThat(ExportCli.run(args)).isZero();
        assertThat(Files.readAllBytes(out.resolve("00000.tar"))).as("a finished shard is not written again")
                .isEqualTo(firstShard);
        assertThat(out.resolve("00001.tar")).exists();
        JsonNode resumed = Json.mapper().readTree(Files.readAllBytes(out.resolve(ExportCli.REPORT_FILE)));
        assertThat(resumed.get("exported").asLong()).isEqualTo(4);
        assertThat(resumed.get("images").asLong()).isEqualTo(7);
        assertThat(out.resolve("00001.tar.part")).doesNotExist();

        String[] other = args.clone();
        other[7] = "sidecar";
        assertThat(ExportCli.run(other)).as("a directory holding another export is refused").isEqualTo(2);
    }

    @Test
    void theCliUnpacksSidecarPagesAndAppendsJsonlPages(@TempDir Path sidecar, @TempDir Path jsonl) {
        assertThat(ExportCli.run("--url", "http://127.0.0.1:" + port, "--corpus", "exp", "--captioner", CAPTIONER,
                "--format", "sidecar", "--out", sidecar.toString(), "--page-size", "2",
                "--api-key-file", operatorKey().toString())).isZero();
        assertThat(sidecar.resolve("cats/tabby.long.txt")).hasContent("long of cats/tabby");
        assertThat(sidecar.resolve("only-short.short.txt")).exists();
        assertThat(sidecar.resolve(ExportNames.of("../../etc/pass.wd", false) + ".short.txt")).exists();
        assertThat(ExportCli.run("--url", "http://127.0.0.1:" + port, "--corpus", "exp", "--captioner", CAPTIONER,
                "--format", "metadata-jsonl", "--out", jsonl.toString(), "--page-size", "2",
                "--api-key-file", operatorKey().toString())).isZero();
        assertThat(jsonl.resolve(ExportCli.JSONL_FILE)).content().hasLineCount(5);
    }

    private HttpResponse<byte[]> export(String query) throws IOException, InterruptedException {
        return HTTP.send(TestApiKeys.request(uri("/corpora/exp/export?" + query)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode summary(HttpResponse<byte[]> response) throws IOException, InterruptedException {
        String id = response.headers().firstValue("Recap-Export-Id").orElseThrow();
        return getJson("/corpora/exp/exports/" + id);
    }

    private static void assertProblem(HttpResponse<byte[]> response, int status, String reason, String field) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("reason").asString()).isEqualTo(reason);
        if (field != null) {
            assertThat(problem.get("field").asString()).isEqualTo(field);
        }
    }

    private static Map<String, byte[]> untar(byte[] tar) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                members.put(entry.getName(), in.readAllBytes());
            }
        }
        return members;
    }

    /** The image id of the last sample in a shard, from its json member. */
    private static String untarredLastId(byte[] shard) throws IOException {
        String last = null;
        for (Map.Entry<String, byte[]> member : untar(shard).entrySet()) {
            if (member.getKey().endsWith(".json")) {
                last = Json.mapper().readTree(member.getValue()).get("image_id").asString();
            }
        }
        return last;
    }

    /** The operator key in a file, as a person would hand it to the CLI. */
    private static Path operatorKey() {
        try {
            return Files.writeString(Files.createTempFile("operator", ".key"), TestApiKeys.OPERATOR + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
