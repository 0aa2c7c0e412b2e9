package io.recap.orchestrator.web;

import static io.recap.service.web.TestRequests.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.ImageRef;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.support.IngestFixtures;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import io.recap.service.security.TestApiKeys;
import io.recap.service.web.BadInput;
import io.recap.service.web.TestRequests;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The orchestrator's public endpoints fed one bad input after another: {@code /jobs} (submit, cancel, list),
 * {@code POST /corpora/{id}/ingest}, {@code GET /corpora/{id}/export} and {@code POST /models/{kind}/{name}/{version}
 * /promote}. Each input is refused with the status named, as problem+json with a reason, and changes nothing (no
 * job, no corpus, no promotion); after each battery a valid request of the same endpoint still succeeds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputBatteryTests extends OrchestratorIntegrationTest {

    private static final String JSON = "application/json";
    private static final String CAPTIONER = "captioner/battery-captioner/v1";
    /** In the catalog (sent straight to the ingest topic), with one image captioned by {@link #CAPTIONER}. */
    private static final String CORPUS = "battery-corpus";
    /** A corpus directory under the allowed root, for ingest. */
    private static final Path SOURCE = DATA_DIR.resolve("corpora/battery-src");
    private static final Path EMPTY_DIR = DATA_DIR.resolve("corpora/battery-empty");
    private static final Path PLAIN_FILE = DATA_DIR.resolve("corpora/battery-file.txt");

    @Autowired
    ModelStore models;

    /** One request and what it must be answered. */
    record Probe(String method, String path, String contentType, byte[] body, int status, String reason) {

        Arguments named(String name) {
            return Arguments.of(Named.of(name, this));
        }
    }

    @BeforeEach
    void fixtures() throws Exception {
        TestModels.captioner(models, "battery-captioner", "v1");
        TestModels.captioner(models, "battery-captioner", "v2");
        if (!Files.isDirectory(SOURCE)) {
            CorpusGenerator.generate(CorpusConfig.of(SOURCE, 3, 1), line -> { });
            Files.createDirectories(EMPTY_DIR);
            Files.writeString(PLAIN_FILE, "not a corpus");
        }
        if (get("/corpora/" + CORPUS).statusCode() != 200) {
            Path image = IngestFixtures.png(DATA_DIR.resolve("corpora/battery-img/a.png"));
            send(Topics.CORPUS_INGEST, new CorpusIngestBatch(CORPUS, "b1", List.of(
                    new CorpusIngestBatch.Item("a", ImageRef.ofUri(image.toUri().toString()), "alt of a"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/" + CORPUS).statusCode() == 200);
        }
    }

    // ---------------------------------------------------------------- /jobs

    static Stream<Arguments> badJobRequests() {
        String evaluate = "{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"" + CAPTIONER + "\"}";
        String relabel = "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + CORPUS + "\",\"captioner\":\"" + CAPTIONER
                + "\"";
        String manyParams = IntStream.range(0, 65).mapToObj(i -> "\"p" + i + "\":1").collect(Collectors.joining(","));
        return Stream.of(
                // Not a JSON object of the right shape.
                postJobs("malformed JSON", "{\"kind\":\"EVALUATE\",", 400, "MALFORMED_BODY"),
                postProbe("empty body", "/jobs", JSON, new byte[0], 400, "MALFORMED_BODY"),
                postJobs("JSON null", "null", 400, "MALFORMED_BODY"),
                postJobs("JSON array instead of an object", "[" + evaluate + "}]", 400, "MALFORMED_BODY"),
                postProbe("text/plain body", "/jobs", "text/plain", TestRequests.utf8(evaluate + "}"), 415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                postProbe("invalid UTF-8 bytes in JSON", "/jobs", JSON, concat(TestRequests.utf8("{\"kind\":\"EVAL"),
                        new byte[] {(byte) 0xC3, 0x28}, TestRequests.utf8("\",\"spec\":{}}")), 400, "MALFORMED_BODY"),
                postJobs("raw control character inside a JSON string", "{\"kind\":\"EVAL\u0001UATE\",\"spec\":{}}", 400,
                        "MALFORMED_BODY"),
                postJobs("JSON nested 2000 levels deep", evaluate + ",\"x\":" + "[".repeat(2000) + "]".repeat(2000)
                        + "}", 400, "MALFORMED_BODY"),
                // The kind and the spec.
                postJobs("missing kind", "{\"spec\":{\"model\":\"" + CAPTIONER + "\"}}", 400, "INVALID_FIELD"),
                postJobs("unknown kind", "{\"kind\":\"MINE_BITCOIN\",\"spec\":{}}", 400, "INVALID_FIELD"),
                postJobs("kind as an object", "{\"kind\":{\"name\":\"EVALUATE\"},\"spec\":{}}", 400, "MALFORMED_BODY"),
                postJobs("missing spec", "{\"kind\":\"EVALUATE\"}", 400, "INVALID_FIELD"),
                postJobs("spec as a string", "{\"kind\":\"EVALUATE\",\"spec\":\"" + CAPTIONER + "\"}", 400,
                        "MALFORMED_BODY"),
                postJobs("unknown spec field", "{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"" + CAPTIONER
                        + "\",\"gpus\":8}}", 400, "INVALID_FIELD"),
                postJobs("corpus id climbing out with ..", "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"../../etc\","
                        + "\"captioner\":\"" + CAPTIONER + "\"}}", 400, "INVALID_FIELD"),
                postJobs("corpus id with a NUL character", "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"a\\u0000b\","
                        + "\"captioner\":\"" + CAPTIONER + "\"}}", 400, "INVALID_FIELD"),
                postJobs("200-character corpus id", "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + "c".repeat(200)
                        + "\",\"captioner\":\"" + CAPTIONER + "\"}}", 400, "INVALID_FIELD"),
                postJobs("corpus not in the catalog", "{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"no-such-corpus\","
                        + "\"captioner\":\"" + CAPTIONER + "\"}}", 400, "INVALID_FIELD"),
                postJobs("model not in the store", "{\"kind\":\"EVALUATE\",\"spec\":{\"model\":"
                        + "\"captioner/battery-captioner/v999\"}}", 400, "INVALID_FIELD"),
                postJobs("text-to-image model where a captioner is needed", "{\"kind\":\"RELABEL\",\"spec\":"
                        + "{\"corpusId\":\"" + CORPUS + "\",\"captioner\":\"text-to-image/battery-captioner/v1\"}}",
                        400, "INVALID_FIELD"),
                postJobs("model reference climbing out with ..", "{\"kind\":\"EVALUATE\",\"spec\":{\"model\":"
                        + "\"captioner/../v1\"}}", 400, "INVALID_FIELD"),
                postJobs("unknown caption style", relabel + ",\"styles\":[\"haiku\"]}}", 400, "INVALID_FIELD"),
                postJobs("negative caption-mix weight", "{\"kind\":\"T2I_FINETUNE\",\"spec\":{\"corpusId\":\"" + CORPUS
                        + "\",\"captioner\":\"" + CAPTIONER + "\",\"captionMix\":\"short=-1,long=2\","
                        + "\"preset\":\"smoke\"}}", 400, "INVALID_FIELD"),
                postJobs("unknown preset", "{\"kind\":\"T2I_FINETUNE\",\"spec\":{\"corpusId\":\"" + CORPUS
                        + "\",\"captioner\":\"" + CAPTIONER + "\",\"captionMix\":\"mix\",\"preset\":\"huge\"}}", 400,
                        "INVALID_FIELD"),
                // Priority, pool and params.
                postJobs("priority over the maximum", evaluate + ",\"priority\":1001}", 400, "INVALID_FIELD"),
                postJobs("priority under the minimum", evaluate + ",\"priority\":-1001}", 400, "INVALID_FIELD"),
                postJobs("priority beyond an int", evaluate + ",\"priority\":99999999999}", 400, "MALFORMED_BODY"),
                postJobs("priority NaN as a string", evaluate + ",\"priority\":\"NaN\"}", 400, "MALFORMED_BODY"),
                postJobs("priority as a word", evaluate + ",\"priority\":\"high\"}", 400, "MALFORMED_BODY"),
                postJobs("unknown pool", evaluate + ",\"pool\":\"tpu\"}", 400, "INVALID_FIELD"),
                postJobs("pool climbing out with ..", evaluate + ",\"pool\":\"../gpu\"}", 400, "INVALID_FIELD"),
                postJobs("params value that is an object", evaluate + ",\"params\":{\"lr\":{\"value\":1}}}", 400,
                        "INVALID_FIELD"),
                postJobs("params value over 1024 characters", evaluate + ",\"params\":{\"note\":\"" + "n".repeat(1025)
                        + "\"}}", 400, "INVALID_FIELD"),
                postJobs("65 params", evaluate + ",\"params\":{" + manyParams + "}}", 400, "INVALID_FIELD"),
                postJobs("params key climbing out with ..", evaluate + ",\"params\":{\"../x\":1}}", 400,
                        "INVALID_FIELD"),
                // Cancelling and listing.
                postProbe("cancelling an unknown job", "/jobs/jnosuchjob0000000/cancel", null, null, 404,
                        "JOB_NOT_FOUND"),
                postProbe("cancelling with .. as the job id", "/jobs/../cancel", null, null, 400, "REQUEST_REJECTED"),
                postProbe("cancelling with %2e%2e as the job id", "/jobs/%2e%2e/cancel", null, null, 400,
                        "REQUEST_REJECTED"),
                postProbe("cancelling with an encoded slash in the job id", "/jobs/a%2Fb/cancel", null, null, 400,
                        "BAD_REQUEST"),
                postProbe("cancelling with a NUL in the job id", "/jobs/a%00b/cancel", null, null, 400, "BAD_REQUEST"),
                postProbe("cancelling with a path parameter", "/jobs/a;x=1/cancel", null, null, 400,
                        "REQUEST_REJECTED"),
                request("listing with a negative limit", "GET", "/jobs?limit=-1", 400, "INVALID_FIELD"),
                request("listing with a limit that is not a number", "GET", "/jobs?limit=NaN", 400, "BAD_REQUEST"),
                request("listing with a limit beyond an int", "GET", "/jobs?limit=99999999999", 400, "BAD_REQUEST"),
                request("listing by an unknown state", "GET", "/jobs?state=EXPLODED", 400, "INVALID_FIELD"),
                request("listing by an unknown kind", "GET", "/jobs?kind=%00", 400, "INVALID_FIELD"),
                request("cancelling with GET", "GET", "/jobs/jnosuchjob0000000/cancel", 405, "METHOD_NOT_ALLOWED"),
                request("PUT on /jobs", "PUT", "/jobs", 405, "METHOD_NOT_ALLOWED"),
                request("DELETE on a job", "DELETE", "/jobs/jnosuchjob0000000", 405, "METHOD_NOT_ALLOWED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badJobRequests")
    @Order(1)
    void aBadJobRequestIsRefusedAsProblemJsonAndCreatesNoJob(Probe probe) throws Exception {
        int jobs = jobCount();

        assertRefused(send(probe), probe);
        assertThat(jobCount()).as("jobs after a refused request").isEqualTo(jobs);
    }

    @Test
    @Order(2)
    void afterTheJobBatteryAValidJobIsStillAcceptedAndRuns() throws Exception {
        int jobs = jobCount();

        String jobId = submit("{\"kind\":\"EVALUATE\",\"spec\":{\"model\":\"" + CAPTIONER + "\"},"
                + "\"params\":{\"simulate\":true,\"steps\":2,\"stepMillis\":5}}");

        assertThat(jobCount()).isEqualTo(jobs + 1);
        awaitState(jobId, JobState.SUCCEEDED);
    }

    // ---------------------------------------------------------------- POST /corpora/{id}/ingest

    static Stream<Arguments> badIngestRequests() {
        String ingest = "/corpora/battery-ingest/ingest";
        return Stream.of(
                // Not a JSON object of the right shape.
                ingest("malformed JSON", "{\"manifestDir\":", 400, "MALFORMED_BODY"),
                postProbe("empty body", ingest, JSON, new byte[0], 400, "MALFORMED_BODY"),
                ingest("JSON null", "null", 400, "MALFORMED_BODY"),
                ingest("JSON array instead of an object", "[\"battery-src\"]", 400, "MALFORMED_BODY"),
                postProbe("text/plain body", ingest, "text/plain", TestRequests.utf8("battery-src"), 415,
                        "UNSUPPORTED_MEDIA_TYPE"),
                postProbe("form-encoded body", ingest, "application/x-www-form-urlencoded",
                        TestRequests.utf8("manifestDir=battery-src"), 415, "UNSUPPORTED_MEDIA_TYPE"),
                postProbe("invalid UTF-8 bytes in JSON", ingest, JSON,
                        concat(TestRequests.utf8("{\"manifestDir\":\"battery"), new byte[] {(byte) 0xFF, (byte) 0xFE},
                                TestRequests.utf8("\"}")), 400, "MALFORMED_BODY"),
                // The manifest directory.
                ingest("missing manifestDir", "{}", 400, "INVALID_FIELD"),
                ingest("blank manifestDir", "{\"manifestDir\":\"  \"}", 400, "INVALID_FIELD"),
                ingest("manifestDir as an object", "{\"manifestDir\":{\"path\":\"battery-src\"}}", 400,
                        "MALFORMED_BODY"),
                ingest("manifestDir climbing out with ..", "{\"manifestDir\":\"battery-src/../../store\"}", 400,
                        "UNSAFE_PATH"),
                ingest("manifestDir outside the allowed roots", "{\"manifestDir\":\"/etc\"}", 400, "UNSAFE_PATH"),
                ingest("manifestDir with a NUL character", "{\"manifestDir\":\"battery\\u0000src\"}", 400,
                        "UNSAFE_PATH"),
                ingest("manifestDir of 10,000 characters", "{\"manifestDir\":\"" + "d".repeat(10_000) + "\"}", 400,
                        "NOT_A_CORPUS"),
                ingest("manifestDir that does not exist", "{\"manifestDir\":\"battery-nothing\"}", 400,
                        "NOT_A_CORPUS"),
                ingest("manifestDir that is a file", "{\"manifestDir\":\"" + PLAIN_FILE + "\"}", 400,
                        "NOT_A_CORPUS"),
                ingest("manifestDir that holds no corpus", "{\"manifestDir\":\"" + EMPTY_DIR + "\"}", 400,
                        "NOT_A_CORPUS"),
                ingest("unknown format", "{\"manifestDir\":\"battery-src\",\"format\":\"parquet\"}", 400,
                        "UNKNOWN_FORMAT"),
                ingest("format as an array", "{\"manifestDir\":\"battery-src\",\"format\":[\"csv\"]}", 400,
                        "MALFORMED_BODY"),
                // The corpus id in the path.
                ingestInto("corpus id with a !", "/corpora/bad!/ingest", 400, "INVALID_FIELD"),
                ingestInto("corpus id of 129 characters", "/corpora/" + "c".repeat(129) + "/ingest", 400,
                        "INVALID_FIELD"),
                ingestInto("corpus id starting with a dot", "/corpora/.hidden/ingest", 400, "INVALID_FIELD"),
                ingestInto("corpus id with an accented letter", "/corpora/caf%C3%A9/ingest", 400, "INVALID_FIELD"),
                ingestInto("control character in the corpus id", "/corpora/a%01b/ingest", 400, "INVALID_FIELD"),
                ingestInto("corpus id that is invalid UTF-8", "/corpora/a%C3%28/ingest", 400, "BAD_REQUEST"),
                ingestInto(".. as the corpus id", "/corpora/../ingest", 400, "REQUEST_REJECTED"),
                ingestInto("%2e%2e as the corpus id", "/corpora/%2e%2e/ingest", 400, "REQUEST_REJECTED"),
                ingestInto("encoded slash in the corpus id", "/corpora/a%2F..%2Fb/ingest", 400, "BAD_REQUEST"),
                ingestInto("encoded backslash in the corpus id", "/corpora/a%5Cb/ingest", 400, "BAD_REQUEST"),
                request("GET on ingest", "GET", ingest, 405, "METHOD_NOT_ALLOWED"),
                request("PUT on ingest", "PUT", ingest, 405, "METHOD_NOT_ALLOWED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badIngestRequests")
    @Order(3)
    void aBadIngestRequestIsRefusedAsProblemJsonAndCataloguesNothing(Probe probe) throws Exception {
        int corpora = getJson("/corpora").size();

        assertRefused(send(probe), probe);
        assertThat(getJson("/corpora").size()).as("corpora after a refused request").isEqualTo(corpora);
    }

    @Test
    @Order(4)
    void afterTheIngestBatteryAValidIngestIsStillAcceptedAndCatalogued() throws Exception {
        HttpResponse<String> response = post("/corpora/battery-ingest/ingest", "{\"manifestDir\":\"battery-src\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).get("images").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/battery-ingest").statusCode() == 200
                && getJson("/corpora/battery-ingest").get("imageCount").asLong() == 3);
    }

    // ---------------------------------------------------------------- GET /corpora/{id}/export

    static Stream<Arguments> badExportRequests() {
        String export = "/corpora/" + CORPUS + "/export?";
        String ok = "format=sidecar&captioner=" + CAPTIONER;
        return Stream.of(
                getProbe("no parameters", export, 400, "BAD_REQUEST"),
                getProbe("missing captioner", export + "format=sidecar", 400, "BAD_REQUEST"),
                getProbe("missing format", export + "captioner=" + CAPTIONER, 400, "BAD_REQUEST"),
                getProbe("unknown format", export + "format=zip&captioner=" + CAPTIONER, 400, "INVALID_FIELD"),
                getProbe("empty format", export + "format=&captioner=" + CAPTIONER, 400, "INVALID_FIELD"),
                getProbe("format with a control character", export + "format=side%01car&captioner=" + CAPTIONER, 400,
                        "INVALID_FIELD"),
                getProbe("captioner without a kind", export + "format=sidecar&captioner=battery-captioner", 400,
                        "INVALID_FIELD"),
                getProbe("text-to-image model as the captioner", export + "format=sidecar&captioner=text-to-image/x/v1",
                        400, "INVALID_FIELD"),
                getProbe("captioner climbing out with ..", export + "format=sidecar&captioner=captioner%2F..%2F..%2Fv1",
                        400, "INVALID_FIELD"),
                getProbe("captioner name %2e%2e", export + "format=sidecar&captioner=captioner/%2e%2e/v1", 400,
                        "INVALID_FIELD"),
                getProbe("unknown style", export + ok + "&style=poetic", 400, "INVALID_FIELD"),
                getProbe("the alt-text as the style", export + ok + "&style=alt", 400, "INVALID_FIELD"),
                getProbe("negative limit", export + ok + "&limit=-1", 400, "INVALID_FIELD"),
                getProbe("limit NaN", export + ok + "&limit=NaN", 400, "BAD_REQUEST"),
                getProbe("limit beyond an int", export + ok + "&limit=99999999999", 400, "BAD_REQUEST"),
                getProbe("fractional limit", export + ok + "&limit=1.5", 400, "BAD_REQUEST"),
                getProbe("images neither true nor false", export + ok + "&images=maybe", 400, "BAD_REQUEST"),
                getProbe("after of 1025 characters", export + ok + "&after=" + "a".repeat(1025), 400, "INVALID_FIELD"),
                getProbe("after with a NUL character", export + ok + "&after=a%00b", 400, "INVALID_FIELD"),
                getProbe("after with a line break", export + ok + "&after=a%0D%0Ab", 400, "INVALID_FIELD"),
                getProbe("blank after", export + ok + "&after=%20%20", 400, "INVALID_FIELD"),
                getProbe("after that is invalid UTF-8", export + ok + "&after=a%C3%28", 400, "INVALID_PARAMETERS"),
                getProbe("unknown corpus", "/corpora/no-such-corpus/export?" + ok, 404, "CORPUS_NOT_FOUND"),
                getProbe(".. as the corpus id", "/corpora/../export?" + ok, 400, "REQUEST_REJECTED"),
                getProbe("%2e%2e as the corpus id", "/corpora/%2e%2e/export?" + ok, 400, "REQUEST_REJECTED"),
                getProbe("encoded slash in the corpus id", "/corpora/a%2Fb/export?" + ok, 400, "BAD_REQUEST"),
                getProbe("unknown export summary", "/corpora/" + CORPUS + "/exports/no-such-export", 404,
                        "EXPORT_NOT_FOUND"),
                request("POST on export", "POST", export + ok, 405, "METHOD_NOT_ALLOWED"),
                request("DELETE on export", "DELETE", export + ok, 405, "METHOD_NOT_ALLOWED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExportRequests")
    @Order(5)
    void aBadExportRequestIsRefusedAsProblemJsonBeforeAnythingIsStreamed(Probe probe) throws Exception {
        HttpResponse<String> response = send(probe);

        assertRefused(response, probe);
        assertThat(response.headers().firstValue(CorpusExportController.EXPORT_ID_HEADER)).isEmpty();
    }

    @Test
    @Order(6)
    void afterTheExportBatteryAValidExportIsStillStreamed() throws Exception {
        HttpResponse<String> response = get("/corpora/" + CORPUS + "/export?format=metadata-jsonl&captioner="
                + CAPTIONER);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue(CorpusExportController.EXPORT_ID_HEADER)).isPresent();
    }

    // ---------------------------------------------------------------- POST /models/{kind}/{name}/{version}/promote

    static Stream<Arguments> badPromotions() {
        return Stream.of(
                promote("unknown model kind", "/models/diffusion/battery-captioner/v2/promote", 400, "INVALID_FIELD"),
                promote("blank model kind", "/models/%20/battery-captioner/v2/promote", 400, "INVALID_FIELD"),
                promote("model kind with a control character", "/models/caption%01er/battery-captioner/v2/promote", 400,
                        "INVALID_FIELD"),
                promote("name with a !", "/models/captioner/bad!/v2/promote", 400, "INVALID_FIELD"),
                promote("name starting with a dot", "/models/captioner/.battery-captioner/v2/promote", 400,
                        "INVALID_FIELD"),
                promote("name of 129 characters", "/models/captioner/" + "n".repeat(129) + "/v2/promote", 400,
                        "INVALID_FIELD"),
                promote("name with an accented letter", "/models/captioner/caf%C3%A9/v2/promote", 400, "INVALID_FIELD"),
                promote("version starting with ..", "/models/captioner/battery-captioner/..v2/promote", 400,
                        "INVALID_FIELD"),
                promote("version with a space", "/models/captioner/battery-captioner/v%202/promote", 400,
                        "INVALID_FIELD"),
                promote(".. as the name", "/models/captioner/../v2/promote", 400, "REQUEST_REJECTED"),
                promote("%2e%2e as the name", "/models/captioner/%2e%2e/v2/promote", 400, "REQUEST_REJECTED"),
                promote("encoded slash in the name", "/models/captioner/battery-captioner%2Fv2/v2/promote", 400,
                        "BAD_REQUEST"),
                promote("encoded backslash in the name", "/models/captioner/a%5Cb/v2/promote", 400, "BAD_REQUEST"),
                promote("NUL in the version", "/models/captioner/battery-captioner/v2%00/promote", 400,
                        "BAD_REQUEST"),
                promote("path parameter on the version", "/models/captioner/battery-captioner/v2;x=1/promote", 400,
                        "REQUEST_REJECTED"),
                promote("name that is invalid UTF-8", "/models/captioner/a%C3%28/v2/promote", 400, "BAD_REQUEST"),
                promote("empty name segment", "/models/captioner//v2/promote", 400, "REQUEST_REJECTED"),
                promote("unknown model", "/models/captioner/no-such-model/v1/promote", 404, "MODEL_NOT_FOUND"),
                promote("unknown version of a known model", "/models/captioner/battery-captioner/v999/promote", 404,
                        "MODEL_NOT_FOUND"),
                promote("known name under another kind", "/models/text-to-image/battery-captioner/v2/promote", 404,
                        "MODEL_NOT_FOUND"),
                promote("unknown evaluator", "/models/evaluator/no-such-model/v1/promote", 404, "MODEL_NOT_FOUND"),
                request("GET on promote", "GET", "/models/captioner/battery-captioner/v2/promote", 405,
                        "METHOD_NOT_ALLOWED"),
                request("PUT on promote", "PUT", "/models/captioner/battery-captioner/v2/promote", 405,
                        "METHOD_NOT_ALLOWED"),
                request("DELETE on promote", "DELETE", "/models/captioner/battery-captioner/v2/promote", 405,
                        "METHOD_NOT_ALLOWED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPromotions")
    @Order(7)
    void aBadPromotionIsRefusedAsProblemJsonAndMovesNoPointer(Probe probe) throws Exception {
        Optional<ModelRef> captioner = models.promoted(ModelKind.CAPTIONER);
        Optional<ModelRef> textToImage = models.promoted(ModelKind.TEXT_TO_IMAGE);

        assertRefused(send(probe), probe);
        assertThat(models.promoted(ModelKind.CAPTIONER)).isEqualTo(captioner);
        assertThat(models.promoted(ModelKind.TEXT_TO_IMAGE)).isEqualTo(textToImage);
    }

    @Test
    @Order(8)
    void afterThePromotionBatteryAValidPromotionStillMovesThePointer() throws Exception {
        HttpResponse<String> response = post("/models/captioner/battery-captioner/v2/promote", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(models.promoted(ModelKind.CAPTIONER)).hasValue(ModelRef.captioner("battery-captioner", "v2"));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRefused(HttpResponse<String> response, Probe probe) {
        BadInput.assertRefused(response, probe.status(), probe.reason());
    }

    private HttpResponse<String> send(Probe probe) throws IOException, InterruptedException {
        // The admin key, so that no refusal here is about roles (a wrong method needs admin to reach 405).
        HttpRequest.Builder request = TestApiKeys.request(uri(probe.path())).method(probe.method(),
                probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(probe.body()));
        if (probe.contentType() != null) {
            request.header("Content-Type", probe.contentType());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int jobCount() throws IOException, InterruptedException {
        return getJson("/jobs?limit=1000").size();
    }

    private static Arguments ingest(String name, String json, int status, String reason) {
        return postProbe(name, "/corpora/battery-ingest/ingest", JSON, TestRequests.utf8(json), status, reason);
    }

    /** A valid body, posted to {@code path}: what is wrong is the corpus id in it. */
    private static Arguments ingestInto(String name, String path, int status, String reason) {
        return postProbe(name, path, JSON, TestRequests.utf8("{\"manifestDir\":\"battery-src\"}"), status, reason);
    }

    private static Arguments postJobs(String name, String json, int status, String reason) {
        return postProbe(name, "/jobs", JSON, TestRequests.utf8(json), status, reason);
    }

    private static Arguments postProbe(String name, String path, String contentType, byte[] body, int status,
            String reason) {
        return new Probe("POST", path, contentType, body, status, reason).named(name);
    }

    private static Arguments getProbe(String name, String path, int status, String reason) {
        return request(name, "GET", path, status, reason);
    }

    private static Arguments promote(String name, String path, int status, String reason) {
        return request(name, "POST", path, status, reason);
    }

    private static Arguments request(String name, String method, String path, int status, String reason) {
        return new Probe(method, path, null, null, status, reason).named(name);
    }

}
