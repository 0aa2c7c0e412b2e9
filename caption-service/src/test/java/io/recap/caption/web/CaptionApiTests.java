package io.recap.caption.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.caption.TestCaptioners;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CaptionApiTests extends CaptionServiceIntegrationTest {

    private static final HttpClient HTTP = TestClient.HTTP;

    @org.springframework.beans.factory.annotation.Autowired
    io.recap.caption.inference.CaptionRequestHandler handler;

    @Test
    void multipartImageIsCaptionedInBothStyles() throws Exception {
        HttpResponse<String> response = postMultipart(TestCaptioners.samplePng(), "image/png", "both");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"short\":", "\"long\":", "\"name\":\"test-captioner\"",
                "\"version\":\"v1\"", "\"tookMs\":");
    }

    @Test
    void jsonBase64ImageIsCaptionedInOneStyleWithBeamSearch() throws Exception {
        String body = "{\"imageBase64\":\"" + Base64.getEncoder().encodeToString(TestCaptioners.samplePng())
                + "\",\"style\":\"long\",\"beamSize\":3}";
        HttpResponse<String> response = postJson(body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"long\":").doesNotContain("\"short\":");
    }

    /** Every bad input is answered 4xx with problem+json and a reason; afterwards a good image still works. */
    @Test
    void badInputsAreRefusedClearlyAndTheServiceCarriesOn() throws Exception {
        byte[] png = TestCaptioners.samplePng();
        record Case(String name, HttpResponse<String> response, int status, String reason) {
        }
        List<Case> cases = List.of(
                new Case("empty body", postMultipart(new byte[0], "image/png", "both"), 400, "EMPTY"),
                new Case("non-image bytes", postMultipart("hello, not an image".getBytes(StandardCharsets.UTF_8),
                        "image/png", "both"), 415, "UNSUPPORTED_FORMAT"),
                new Case("truncated png", postMultipart(Arrays.copyOf(png, png.length / 2), "image/png", "both"),
                        422, "TRUNCATED"),
                new Case("50000x50000 header", postMultipart(bombHeader(), "image/png", "both"), 413, "TOO_MANY_PIXELS"),
                new Case("30 MB upload", postMultipart(new byte[30 * 1024 * 1024], "image/png", "both"), 413,
                        "TOO_LARGE_BYTES"),
                new Case("wrong content type", post("text/plain", "an image, honestly".getBytes(StandardCharsets.UTF_8)),
                        415, "UNSUPPORTED_MEDIA_TYPE"),
                new Case("unknown style", postMultipart(png, "image/png", "poetic"), 400, "INVALID_FIELD"),
                new Case("invalid base64", postJson("{\"imageBase64\":\"!!!not base64!!!\"}"), 400, "INVALID_FIELD"),
                new Case("missing image", postJson("{\"style\":\"short\"}"), 400, "INVALID_FIELD"),
                new Case("malformed json", postJson("{\"imageBase64\":"), 400, "BAD_REQUEST"),
                new Case("beam too large", postJson("{\"imageBase64\":\"" + Base64.getEncoder().encodeToString(png)
                        + "\",\"beamSize\":99}"), 400, "INVALID_ARGUMENT"));

        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.name()).isEqualTo(c.status());
            assertThat(c.response().headers().firstValue("Content-Type")).as(c.name())
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(c.response().body()).as(c.name()).contains("\"reason\":\"" + c.reason() + "\"");
        }
        // The record's constraint names the field and keeps the message a hand-written check gave.
        assertThat(postJson("{\"imageBase64\":\" \"}").body()).contains("\"field\":\"imageBase64\"")
                .contains("imageBase64 is required");
        assertThat(postMultipart(png, "image/png", "short").statusCode()).isEqualTo(200);
    }

    @Test
    void publishesOpenApiAndBatchingMetrics() throws Exception {
        postMultipart(TestCaptioners.samplePng(), "image/png", "short");

        assertThat(get("/v3/api-docs").body()).contains("/caption");
        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("recap_caption_batch_size", "recap_caption_queue_depth",
                "recap_caption_request_latency_seconds_bucket");
    }

    @Test
    void thirtyTwoLargeImagesAtOnceAreDecodedWithinTheBudgetAndAnsweredOrRefusedAndTheServiceGoesOnServing()
            throws Exception {
        byte[] large = largePng(4096);
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            answers.add(HTTP.sendAsync(TestApiKeys.request(uri("/caption"), TestApiKeys.USER)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"style\":\"short\",\"imageBase64\":\""
                            + Base64.getEncoder().encodeToString(large) + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int captioned = 0;
        for (var answer : answers) {
            HttpResponse<String> response = answer.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isIn(200, 503);
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                assertThat(response.body()).contains("\"reason\":\"DECODE_BUDGET_EXHAUSTED\"");
            } else {
                captioned++;
            }
        }

        io.recap.core.image.DecodeBudget budget = handler.decodeBudget();
        assertThat(captioned).isPositive();
        assertThat(budget.peak()).as("decoded bytes held at once").isLessThanOrEqualTo(budget.capacity());
        assertThat(budget.inUse()).isZero();
        assertThat(postMultipart(TestCaptioners.samplePng(), "image/png", "short").statusCode()).isEqualTo(200);
    }

    /** A 4096x4096 PNG of a few flat shapes: small to send, 128 MiB to decode. */
    private static byte[] largePng(int side) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(side, side,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D graphics = image.createGraphics();
        graphics.setColor(java.awt.Color.WHITE);
        graphics.fillRect(0, 0, side, side);
        graphics.setColor(java.awt.Color.RED);
        graphics.fillOval(side / 8, side / 8, side / 3, side / 3);
        graphics.dispose();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void captioningNeedsAKeyWithTheUserRoleAndTheMetricsNeedAdmin() throws Exception {
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(uri("/caption"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> viewer = HTTP.send(TestApiKeys.request(uri("/caption"), TestApiKeys.VIEWER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> userMetrics = HTTP.send(TestApiKeys.request(uri("/actuator/prometheus"), TestApiKeys.USER)
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"reason\":\"UNAUTHENTICATED\"");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("\"reason\":\"FORBIDDEN_ROLE\"");
        assertThat(userMetrics.statusCode()).isEqualTo(403);
    }

    @Test
    void aChunkedJsonBodyOverTheLimitIsRefusedWith413WhileItStreamsAndTheServiceGoesOnServing() throws Exception {
        String answer = chunkedPost("/caption", "{\"style\":\"both\",\"imageBase64\":\"", 40L * 1024 * 1024);

        // Counted as it streams: read whole, this unterminated JSON string would have been a 400 parse error.
        assertThat(answer).startsWith("HTTP/1.1 413").contains("TOO_LARGE_BYTES", "request body exceeds the limit");
        assertThat(postMultipart(TestCaptioners.samplePng(), "image/png", "short").statusCode()).isEqualTo(200);
    }

    /**
     * POSTs {@code prefix} and then {@code filler} base64 characters with no declared length (chunked), from a
     * plain socket so that the server's answer is read even if it stops reading the body; returns what came back.
     */
    private String chunkedPost(String path, String prefix, long filler) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            Thread sender = new Thread(() -> {
                try {
                    java.io.OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                    out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "X-API-Key: " + TestApiKeys.USER + "\r\n"
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    writeChunk(out, prefix.getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[1 << 16];
                    Arrays.fill(chunk, (byte) 'A');
                    for (long sent = 0; sent < filler; sent += chunk.length) {
                        writeChunk(out, chunk);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException e) {
                    // The server stopped reading and closed: what this test expects of a body over the limit.
                }
            });
            sender.start();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            sender.join(60_000);
            return answer;
        }
    }

    private static void writeChunk(java.io.OutputStream out, byte[] data) throws java.io.IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A PNG signature and an IHDR (with a valid CRC) claiming 50,000 × 50,000 pixels. */
    static byte[] bombHeader() {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(50_000).putInt(50_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client().get(path);
    }

    private HttpResponse<String> postJson(String json) throws Exception {
        return post("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return HTTP.send(TestApiKeys.request(uri("/caption")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postMultipart(byte[] image, String imageType, String style) throws Exception {
        String boundary = UUID.randomUUID().toString();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\"\r\n"
                + "Content-Type: " + imageType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"style\"\r\n\r\n" + style
                + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private URI uri(String path) {
        return client().uri(path);
    }
}
