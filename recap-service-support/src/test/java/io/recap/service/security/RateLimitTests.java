package io.recap.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The token bucket per caller, on a real server: a burst, then 429 with Retry-After, and other callers unaffected. */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"recap.security.rate-limit.per-second=0.2", "recap.security.rate-limit.burst=3"})
class RateLimitTests {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void keys(DynamicPropertyRegistry registry) {
        registry.add("recap.security.api-keys", TestApiKeys::property);
    }

    @LocalServerPort
    int port;

    @Test
    void aCallerPastItsBurstIsAnswered429WithRetryAfterWhileAnotherCallerGoesOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get(TestApiKeys.VIEWER).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = get(TestApiKeys.VIEWER);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 5));
        assertThat(limited.body()).contains("\"reason\":\"RATE_LIMITED\"", "test-viewer");
        assertThat(get(TestApiKeys.USER).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String key) throws Exception {
        return HTTP.send(TestApiKeys.request(URI.create("http://127.0.0.1:" + port + "/jobs"), key).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
