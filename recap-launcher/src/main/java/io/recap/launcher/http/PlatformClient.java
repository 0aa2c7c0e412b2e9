package io.recap.launcher.http;

import io.recap.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * The launcher's REST calls to the platform, each also written to a transcript as the
 * {@code curl} command a person would type and the answer it got, so a run documents itself.
 */
public final class PlatformClient {

    /** Answers longer than this are shortened in the transcript (base64 images, long logs). */
    private static final int TRANSCRIPT_BODY_LIMIT = 1500;
    private static final String KEY_HEADER = "X-API-Key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path transcript;
    private final String apiKey;

    /** @param apiKey presented on every call ({@code X-API-Key}); the transcript shows {@code $RECAP_API_KEY} instead */
    public PlatformClient(Path transcript, String apiKey) {
        this.transcript = transcript;
        this.apiKey = apiKey;
    }

    /** A non-2xx answer, with its problem+json body. */
    public static final class HttpProblem extends RuntimeException {
        private final int status;

        HttpProblem(String request, int status, String body) {
            super(request + " answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public JsonNode get(URI url) {
        return send("GET", url, null, true);
    }

    /** A GET the transcript need not show (polling). */
    public JsonNode poll(URI url) {
        return send("GET", url, null, false);
    }

    public JsonNode post(URI url, Object body) {
        return send("POST", url, body == null ? null : new String(Json.write(body), StandardCharsets.UTF_8), true);
    }

    /** A POST the transcript need not show (asking a service again until it serves the wanted model). */
    public JsonNode postQuietly(URI url, Object body) {
        return send("POST", url, body == null ? null : new String(Json.write(body), StandardCharsets.UTF_8), false);
    }

    /** Downloads {@code url} (a PNG, say) to {@code file}; the transcript shows it as {@code curl -o}. */
    public void download(URI url, Path file) {
        HttpResponse<Path> response;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).header(KEY_HEADER, apiKey)
                    .GET().build(),
                    HttpResponse.BodyHandlers.ofFile(file));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url, e);
        }
        append("\n```\n$ curl -s -H \"" + KEY_HEADER + ": $RECAP_API_KEY\" -o " + file.getFileName() + " " + url + "\n# HTTP " + response.statusCode()
                + "\n```\n");
        if (response.statusCode() / 100 != 2) {
            String body;
            try {
                body = Files.readString(file, StandardCharsets.UTF_8);
                Files.deleteIfExists(file);
            } catch (IOException e) {
                body = "";
            }
            throw new HttpProblem("GET " + url, response.statusCode(), body);
        }
    }

    /** Notes a line of prose in the transcript. */
    public void note(String markdown) {
        append("\n" + markdown + "\n");
    }

    private JsonNode send(String method, URI url, String json, boolean record) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5))
                .header("Accept", "application/json").header(KEY_HEADER, apiKey);
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + url, e);
        }
        if (record) {
            StringBuilder entry = new StringBuilder("\n```\n$ curl -s -H \"" + KEY_HEADER + ": $RECAP_API_KEY\"");
            if (!"GET".equals(method)) {
                entry.append(" -X ").append(method);
            }
            entry.append(' ').append(url);
            if (json != null) {
                entry.append(" \\\n    -H 'Content-Type: application/json' -d '").append(json.replace("'", "'\\''"))
                        .append('\'');
            }
            entry.append("\n# HTTP ").append(response.statusCode()).append('\n')
                    .append(shorten(pretty(response.body()))).append("\n```\n");
            append(entry.toString());
        }
        if (response.statusCode() / 100 != 2) {
            throw new HttpProblem(method + " " + url, response.statusCode(), response.body());
        }
        return response.body().isBlank() ? Json.mapper().nullNode() : Json.mapper().readTree(response.body());
    }

    private static String pretty(String body) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.mapper().readTree(body));
        } catch (RuntimeException e) {
            return body;
        }
    }

    private static String shorten(String body) {
        return body.length() <= TRANSCRIPT_BODY_LIMIT ? body
                : body.substring(0, TRANSCRIPT_BODY_LIMIT) + "\n... (" + (body.length() - TRANSCRIPT_BODY_LIMIT)
                        + " more characters)";
    }

    private synchronized void append(String text) {
        try {
            Files.createDirectories(transcript.getParent());
            Files.writeString(transcript, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the transcript " + transcript, e);
        }
    }
}
