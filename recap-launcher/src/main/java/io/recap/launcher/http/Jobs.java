package io.recap.launcher.http;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The orchestrator's jobs as the launcher drives them: submit, follow to the end with progress (rate, ETA) on the
 * console, and find the model version a job published.
 */
public final class Jobs {

    private static final Duration POLL = Duration.ofSeconds(2);

    private final PlatformClient client;
    private final URI orchestrator;
    private final Consumer<String> out;

    /** @param orchestrator the orchestrator's base URL without a trailing slash, e.g. {@code http://127.0.0.1:8080} */
    public Jobs(PlatformClient client, URI orchestrator, Consumer<String> out) {
        this.client = client;
        this.orchestrator = orchestrator;
        this.out = out;
    }

    /** Submits a job ({@code POST /jobs}); returns its id. */
    public String submit(String kind, Map<String, Object> spec, Map<String, Object> params) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind);
        request.put("spec", spec);
        if (!params.isEmpty()) {
            request.put("params", params);
        }
        String jobId = client.post(url("/jobs"), request).path("jobId").asString();
        out.accept(kind + " job " + jobId + " submitted");
        return jobId;
    }

    /** Submits a job and follows it to the end, printing progress; returns its final view. */
    public JsonNode run(String kind, Map<String, Object> spec, Map<String, Object> params) throws InterruptedException {
        return await(List.of(submit(kind, spec, params))).get(0);
    }

    /**
     * Follows jobs until every one has ended, printing each one's progress as it changes; returns their final
     * views in the order given. A job that fails or is cancelled stops the run.
     */
    public List<JsonNode> await(List<String> jobIds) throws InterruptedException {
        Map<String, JsonNode> finished = new LinkedHashMap<>();
        Map<String, String> lastLines = new LinkedHashMap<>();
        Map<String, Boolean> runningShown = new LinkedHashMap<>();
        while (finished.size() < jobIds.size()) {
            Thread.sleep(POLL.toMillis());
            for (String jobId : jobIds) {
                if (finished.containsKey(jobId)) {
                    continue;
                }
                JsonNode job = client.poll(url("/jobs/" + jobId));
                String kind = job.path("kind").asString();
                String state = job.path("state").asString();
                JsonNode progress = job.path("progress");
                if (!runningShown.getOrDefault(jobId, false) && "RUNNING".equals(state)
                        && progress.path("done").asLong() > 0) {
                    // Once per job, what a running job looks like: progress with rate and ETA, the log tail.
                    runningShown.put(jobId, true);
                    job = client.get(url("/jobs/" + jobId));
                    progress = job.path("progress");
                }
                String line = String.format(Locale.ROOT, "  %s %s %s: %s/%s%s%s", kind, jobId, state,
                        progress.path("done").asString("0"), progress.path("total").asString("?"),
                        progress.path("rate").isNumber()
                                ? String.format(Locale.ROOT, ", %.2f/s", progress.path("rate").asDouble()) : "",
                        progress.path("etaSeconds").isNumber()
                                ? String.format(Locale.ROOT, ", ETA %.0f s", progress.path("etaSeconds").asDouble())
                                : "");
                if (!line.equals(lastLines.get(jobId))) {
                    out.accept(line);
                    lastLines.put(jobId, line);
                }
                switch (state) {
                    case "SUCCEEDED" -> {
                        JsonNode done = client.get(url("/jobs/" + jobId));
                        out.accept(String.format(Locale.ROOT, "%s job %s succeeded: ran %.0f s", kind, jobId,
                                runningSeconds(done)));
                        finished.put(jobId, done);
                    }
                    case "FAILED", "CANCELLED" -> {
                        client.get(url("/jobs/" + jobId));
                        throw new IllegalStateException(kind + " job " + jobId + " " + state + ": "
                                + job.path("failureReason").asString("") + "\nlog tail: " + job.path("logTail"));
                    }
                    default -> {
                        // QUEUED or RUNNING: keep following.
                    }
                }
            }
        }
        return jobIds.stream().map(finished::get).toList();
    }

    /** Seconds a finished job ran (its first attempt's start to its end; queueing excluded). */
    public static double runningSeconds(JsonNode job) {
        return Duration.between(Instant.parse(job.path("startedAt").asString()),
                Instant.parse(job.path("finishedAt").asString())).toMillis() / 1000.0;
    }

    /** The newest version of {@code name} in the registry (the one the job just published). */
    public ModelRef newest(ModelKind kind, String name, JsonNode job) {
        JsonNode models = client.get(url("/models?kind=" + kind.pathSegment()));
        ModelRef newest = null;
        String newestAt = "";
        for (JsonNode model : models) {
            ModelRef ref = Json.mapper().treeToValue(model.path("model"), ModelRef.class);
            String createdAt = model.path("createdAt").asString("");
            if (ref.name().equals(name) && createdAt.compareTo(newestAt) >= 0) {
                newest = ref;
                newestAt = createdAt;
            }
        }
        if (newest == null) {
            throw new IllegalStateException("job " + job.path("jobId").asString() + " published no " + kind
                    + " model named " + name);
        }
        out.accept("  published " + newest);
        return newest;
    }

    private URI url(String path) {
        // Appended, not resolved: an orchestrator behind a path prefix (https://host/recap) keeps it.
        return URI.create(orchestrator + path);
    }
}
