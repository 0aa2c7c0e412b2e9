package io.recap.generation.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TestClient;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The API over a small untrained model: the contract, not image quality, is under test here. */
class GenerateApiTests extends GenerationServiceIntegrationTest {

    private static final HttpClient HTTP = TestClient.HTTP;

    @Test
    void generatingNeedsAKeyWithTheUserRole() throws Exception {
        URI generate = URI.create("http://127.0.0.1:" + port + "/generate");
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(generate)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a red circle\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> viewer = HTTP.send(TestApiKeys.request(generate, TestApiKeys.VIEWER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a red circle\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("\"reason\":\"FORBIDDEN_ROLE\"");
    }

    @Test
    void jsonAnswerCarriesImagesSeedModelAndTimings() throws Exception {
        HttpResponse<String> response = post("{\"prompt\":\"a red circle\",\"seed\":42,\"steps\":4,\"count\":2}",
                "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"seed\":42", "\"name\":\"test-t2i\"", "\"version\":\"v1\"",
                "\"truncated\":false", "\"stepsPerSecond\":");
        assertThat(response.body().split("iVBORw0KGgo", -1)).hasSize(3); // two base64 PNGs
    }

    @Test
    void oneImageAsPngAndTheSameSeedGivesTheSameImage() throws Exception {
        String body = "{\"prompt\":\"two blue squares\",\"seed\":7,\"steps\":4}";
        HttpResponse<byte[]> first = postBytes(body, "image/png");
        HttpResponse<byte[]> second = postBytes(body, "image/png");
        HttpResponse<byte[]> otherSeed = postBytes(body.replace("\"seed\":7", "\"seed\":8"), "image/png");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(first.headers().firstValue("X-Recap-Seed")).hasValue("7");
        assertThat(ImageIO.read(new ByteArrayInputStream(first.body())).getWidth()).isEqualTo(DiffusionConfig.smoke().imageSize());
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(otherSeed.body()).isNotEqualTo(first.body());
    }

    @Test
    void promptsOver77TokensAreTruncatedAndSaySo() throws Exception {
        String longPrompt = "a red circle and ".repeat(30);
        HttpResponse<String> response = post("{\"prompt\":\"" + longPrompt + "\",\"steps\":2}", "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"truncated\":true");
    }

    @Test
    void badInputsAreRefusedClearlyAndTheServiceCarriesOn() throws Exception {
        record Case(String name, HttpResponse<String> response, int status, String reason) {
        }
        List<Case> cases = List.of(
                new Case("missing prompt", post("{\"steps\":4}", "application/json"), 400, "INVALID_FIELD"),
                new Case("70,000-character body", post("{\"prompt\":\"" + "x".repeat(70_000) + "\"}",
                        "application/json"), 413, "TOO_LARGE_BYTES"),
                new Case("blank prompt", post("{\"prompt\":\"   \"}", "application/json"), 400, "INVALID_FIELD"),
                new Case("10,000-character prompt", post("{\"prompt\":\"" + "x".repeat(10_000) + "\"}",
                        "application/json"), 400, "INVALID_FIELD"),
                new Case("steps 0", post("{\"prompt\":\"a\",\"steps\":0}", "application/json"), 400, "INVALID_FIELD"),
                new Case("steps 201", post("{\"prompt\":\"a\",\"steps\":201}", "application/json"), 400, "INVALID_FIELD"),
                new Case("count 0", post("{\"prompt\":\"a\",\"count\":0}", "application/json"), 400, "INVALID_FIELD"),
                new Case("count 9", post("{\"prompt\":\"a\",\"count\":9}", "application/json"), 400, "INVALID_FIELD"),
                new Case("NaN guidance", post("{\"prompt\":\"a\",\"guidanceScale\":\"NaN\"}", "application/json"), 400,
                        "INVALID_FIELD"),
                new Case("negative guidance", post("{\"prompt\":\"a\",\"guidanceScale\":-1}", "application/json"), 400,
                        "INVALID_FIELD"),
                new Case("malformed json", post("{\"prompt\":", "application/json"), 400, "BAD_REQUEST"),
                new Case("wrong content type", post("prompt=a red circle", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"));

        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.name()).isEqualTo(c.status());
            assertThat(c.response().headers().firstValue("Content-Type")).as(c.name())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(c.response().body()).as(c.name()).contains("\"reason\":\"" + c.reason() + "\"");
        }
        // The record's constraints name the field and keep the messages the hand-written checks gave.
        assertThat(post("{\"steps\":4}", "application/json").body()).contains("\"field\":\"prompt\"")
                .contains("prompt is required");
        assertThat(post("{\"prompt\":\" \\n \"}", "application/json").body()).contains("\"field\":\"prompt\"")
                .contains("prompt must not be blank");
        assertThat(post("{\"prompt\":\"a\",\"steps\":0}", "application/json").body()).contains("\"field\":\"steps\"");
        assertThat(post("{\"prompt\":\"a red circle\",\"steps\":2}", "application/json").statusCode()).isEqualTo(200);
    }

    @Test
    void aBurstBeyondCapacityIsAnswered503WithRetryAfter() throws Exception {
        // One request samples and one may wait (max-waiting 1); the rest find the queue full.
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(HTTP.sendAsync(request("{\"prompt\":\"a red circle\",\"steps\":20,\"count\":8}", "application/json"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = burst.stream().map(CompletableFuture::join).toList();

        assertThat(responses).anySatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        assertThat(responses).anySatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).contains("\"reason\":\"SATURATED\"");
        });
        assertThat(get("/actuator/prometheus").body()).contains("recap_generation_request_latency_seconds_bucket",
                "recap_generation_denoising_steps_per_second");
        assertThat(get("/v3/api-docs").body()).contains("/generate");
    }

    private HttpRequest request(String json, String contentType) {
        return TestApiKeys.request(URI.create("http://127.0.0.1:" + port + "/generate"))
                .header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private HttpResponse<String> post(String json, String contentType) throws Exception {
        return HTTP.send(request(json, contentType), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> postBytes(String json, String accept) throws Exception {
        return HTTP.send(TestApiKeys.request(URI.create("http://127.0.0.1:" + port + "/generate"))
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client().get(path);
    }
}
