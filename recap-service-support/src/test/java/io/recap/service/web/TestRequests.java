package io.recap.service.web;

import static org.awaitility.Awaitility.await;

import io.recap.service.security.TestApiKeys;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What the services' whole-service tests share (this module's test jar): request bodies and readiness. */
public final class TestRequests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestRequests() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The parts one after the other, as one body. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Waits until the service whose Actuator listens on {@code managementPort} reports ready. */
    public static void awaitReady(int managementPort) {
        URI readiness = URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
        await().atMost(Duration.ofSeconds(60)).until(() -> HTTP.send(TestApiKeys.request(readiness).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
