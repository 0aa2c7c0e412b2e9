package io.recap.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.json.Json;
import io.recap.service.security.TestApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;

/**
 * One bad request of a bad-input battery and what it must be answered (this module's test jar).
 *
 * @param reason the problem's reason, or null when any non-blank reason will do
 */
public record BadInput(String method, String contentType, String accept, byte[] body, int status, String reason) {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** This request as a named parameterized-test argument. */
    public Arguments named(String name) {
        return Arguments.of(Named.of(name, this));
    }

    /**
     * Sends it with the admin key, so that no refusal is about roles (a wrong method needs admin to reach 405).
     */
    public HttpResponse<String> sendTo(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = TestApiKeys.request(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer is this request's status as problem+json with its reason (any non-blank one if null). */
    public void assertRefused(HttpResponse<String> response) {
        assertRefused(response, status, reason);
    }

    /** {@code response} is {@code status} as problem+json with {@code reason} (any non-blank one if null). */
    public static void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(response.body())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.path("reason").asString("")).as(response.body()).isNotBlank();
        if (reason != null) {
            assertThat(problem.path("reason").asString()).as(response.body()).isEqualTo(reason);
        }
        assertThat(problem.path("status").asInt()).isEqualTo(status);
    }
}
