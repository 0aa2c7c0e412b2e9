package io.recap.testsupport;

import io.recap.core.json.Json;
import io.recap.service.security.TestApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;

/**
 * Calls a RECAP service on 127.0.0.1 as its tests do: with the admin test key, JSON in and out, and
 * {@code /actuator} paths on the management port, where the services serve Actuator.
 */
public record TestClient(int port, int managementPort) {

    /** One client for every test: it keeps connections, and creating one per call costs threads. */
    public static final HttpClient HTTP = HttpClient.newHttpClient();

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + (path.startsWith("/actuator") ? managementPort : port) + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(TestApiKeys.request(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return json(get(path));
    }

    /** A JSON {@code POST}; no body when {@code json} is null. */
    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return HTTP.send(TestApiKeys.request(uri(path)).header("Content-Type", "application/json").POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /jobs} to the orchestrator; the new job's id, or an assertion error naming the refusal. */
    public String submit(String requestJson) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/jobs", requestJson);
        if (response.statusCode() != 201) {
            throw new AssertionError("POST /jobs answered " + response.statusCode() + ": " + response.body());
        }
        return json(response).get("jobId").asString();
    }

    /** The JSON body of a response. */
    public static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }
}
