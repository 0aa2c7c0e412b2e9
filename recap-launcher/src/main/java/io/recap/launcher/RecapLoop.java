package io.recap.launcher;

import io.recap.broker.LocalKafkaBroker;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.launcher.http.PlatformClient;
import io.recap.launcher.process.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The RECAP loop on one machine, through the platform's own services and REST API: a real Kafka
 * broker, the orchestrator (H2, local executor), a relabel worker, then caption-service and
 * generation-service serving the results.
 *
 * <ol>
 * <li>ingest the corpus ({@code POST /corpora/{id}/ingest});</li>
 * <li>CAPTIONER_FINETUNE: pretrain + fine-tune on the 100 human captions; promote;</li>
 * <li>RELABEL the corpus with that captioner (SHORT and LONG) through the worker;</li>
 * <li>T2I_FINETUNE twice on the same images: the RECAP mix (SHORT/LONG 50/50) and alt-text only;</li>
 * <li>EVALUATE both with the ShapesWorld oracle; promote the RECAP model;</li>
 * <li>caption one held-out image and generate one image through the two serving services.</li>
 * </ol>
 * Every REST call is written to {@code transcript.md} as a curl command with its answer.
 */
final class RecapLoop implements AutoCloseable {

    private static final Duration SERVICE_START = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final LaunchOptions options;
    private final Path root;
    private final Path data;
    private final Path runDir;
    private final Consumer<String> out;
    private final PlatformClient client;
    private final List<AutoCloseable> started = new ArrayList<>();
    private String bootstrap;

    RecapLoop(LaunchOptions options, Path root, Consumer<String> out) {
        this.options = options;
        this.root = root;
        this.data = options.dataDir().toAbsolutePath();
        this.runDir = data.resolve("runs").resolve(Instant.now().toString().replace(':', '-'));
        this.out = out;
        this.client = new PlatformClient(runDir.resolve("transcript.md"));
    }

    /** What the loop produced, for the summary. */
    record Outcome(ModelRef captioner, ModelRef recapModel, ModelRef altModel, Map<String, Double> recapMetrics,
            Map<String, Double> altMetrics, Path transcript, Path generatedImage) {
    }

    Outcome run(String corpusId, Path corpusDir) throws Exception {
        client.note("# RECAP loop, preset `" + options.preset() + "`, corpus `" + corpusId + "`\n\nStarted "
                + Instant.now() + ". Every call below was made by the launcher (`recap-launcher`); the answers are"
                + " the platform's own.");
        startBackbone();
        ingest(corpusId, corpusDir);

        JsonNode captionerJob = runJob("CAPTIONER_FINETUNE", Map.of("humanSet", corpusId, "preset", options.preset()),
                Map.of());
        ModelRef captioner = newest(ModelKind.CAPTIONER, "shapes", captionerJob);
        client.post(orchestrator("/models/" + path(captioner) + "/promote"), null);

        runJob("RELABEL", Map.of("corpusId", corpusId, "captioner", captioner.toString(),
                "styles", List.of("short", "long")), Map.of());

        ModelRef recapModel = trainTextToImage(corpusId, captioner, CaptionMix.RECAP_MIX, "t2i-recap");
        ModelRef altModel = trainTextToImage(corpusId, captioner, CaptionMix.ALT_ONLY, "t2i-alt");
        Map<String, Double> recapMetrics = evaluate(recapModel);
        Map<String, Double> altMetrics = evaluate(altModel);
        client.post(orchestrator("/models/" + path(recapModel) + "/promote"), null);

        Path image = serve(corpusDir);
        return new Outcome(captioner, recapModel, altModel, recapMetrics, altMetrics,
                runDir.resolve("transcript.md"), image);
    }

    /** Broker, orchestrator and one relabel worker. */
    private void startBackbone() {
        LocalKafkaBroker broker = new LocalKafkaBroker(data.resolve("kafka"), 0, 4);
        started.add(broker);
        broker.start();
        bootstrap = broker.bootstrapServers();
        out.accept("kafka broker:          " + bootstrap + " (log " + data.resolve("kafka/broker.log") + ")");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(options.portBase()));
        env.put("RECAP_DATA", data.toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        ChildJvm orchestrator = start("training-orchestrator",
                jar("training-orchestrator", "training-orchestrator-0.1.0-SNAPSHOT-exec.jar"), env, options.portBase());

        Map<String, String> workerEnv = new LinkedHashMap<>();
        workerEnv.put("PORT", Integer.toString(options.portBase() + 3));
        workerEnv.put("KAFKA_BOOTSTRAP", bootstrap);
        workerEnv.put("RECAP_STORE", data.resolve("store").toString());
        workerEnv.put("RECAP_IMAGE_ROOTS", data.resolve("corpora").toString());
        start("relabel-worker", jar("relabel-worker", "relabel-worker-0.1.0-SNAPSHOT-exec.jar"), workerEnv,
                options.portBase() + 3);
        out.accept("training-orchestrator: " + orchestrator("/jobs") + " (log " + orchestrator.log() + ")");
    }

    private ChildJvm start(String name, Path jar, Map<String, String> env, int port) {
        ChildJvm jvm = ChildJvm.start(name, jar, List.of("-Xmx3g"), env, List.of(), runDir.resolve("logs"));
        started.add(jvm);
        jvm.awaitHealthy(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"), SERVICE_START);
        return jvm;
    }

    private void ingest(String corpusId, Path corpusDir) throws InterruptedException {
        JsonNode receipt = client.post(orchestrator("/corpora/" + corpusId + "/ingest"),
                Map.of("manifestDir", corpusDir.toAbsolutePath().toString()));
        long images = receipt.path("images").asLong();
        out.accept(String.format(Locale.ROOT, "ingest: %d images published in %d batches", images,
                receipt.path("batches").asLong()));
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            JsonNode corpus = pollQuietly(orchestrator("/corpora/" + corpusId));
            if (corpus != null && corpus.path("imageCount").asLong() >= images) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the catalog did not register " + images + " images within 5 minutes");
            }
            Thread.sleep(POLL.toMillis());
        }
        client.get(orchestrator("/corpora/" + corpusId));
    }

    private ModelRef trainTextToImage(String corpusId, ModelRef captioner, CaptionMix mix, String name)
            throws InterruptedException {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("corpusId", corpusId);
        spec.put("captioner", captioner.toString());
        spec.put("captionMix", mix);
        spec.put("preset", options.preset());
        JsonNode job = runJob("T2I_FINETUNE", spec, Map.of("modelName", name));
        return newest(ModelKind.TEXT_TO_IMAGE, name, job);
    }

    private Map<String, Double> evaluate(ModelRef model) throws InterruptedException {
        Map<String, Object> params = "smoke".equals(options.preset())
                ? Map.of("prompts", "24", "imagesPerPrompt", "1") : Map.of("prompts", "200", "imagesPerPrompt", "4");
        runJob("EVALUATE", Map.of("model", model.toString()), params);
        JsonNode details = client.get(orchestrator("/models/" + path(model)));
        Map<String, Double> metrics = new LinkedHashMap<>();
        details.path("manifest").path("metrics").properties().forEach(entry -> {
            if (entry.getValue().isNumber()) {
                metrics.put(entry.getKey(), entry.getValue().asDouble());
            }
        });
        return metrics;
    }

    /** Submits a job and follows it to the end, printing progress; returns its final view. */
    private JsonNode runJob(String kind, Map<String, Object> spec, Map<String, Object> params)
            throws InterruptedException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind);
        request.put("spec", spec);
        if (!params.isEmpty()) {
            request.put("params", params);
        }
        String jobId = client.post(orchestrator("/jobs"), request).path("jobId").asString();
        out.accept(kind + " job " + jobId + " submitted");
        long begin = System.nanoTime();
        String lastLine = "";
        boolean runningShown = false;
        while (true) {
            Thread.sleep(POLL.toMillis());
            JsonNode job = client.poll(orchestrator("/jobs/" + jobId));
            String state = job.path("state").asString();
            JsonNode progress = job.path("progress");
            if (!runningShown && "RUNNING".equals(state) && progress.path("done").asLong() > 0) {
                // Once per job, what a running job looks like: progress with rate and ETA, the log tail.
                runningShown = true;
                job = client.get(orchestrator("/jobs/" + jobId));
                progress = job.path("progress");
            }
            String line = String.format(Locale.ROOT, "  %s %s: %s/%s%s%s", kind, state, progress.path("done").asString("0"),
                    progress.path("total").asString("?"),
                    progress.path("rate").isNumber()
                            ? String.format(Locale.ROOT, ", %.2f/s", progress.path("rate").asDouble()) : "",
                    progress.path("etaSeconds").isNumber()
                            ? String.format(Locale.ROOT, ", ETA %.0f s", progress.path("etaSeconds").asDouble()) : "");
            if (!line.equals(lastLine)) {
                out.accept(line);
                lastLine = line;
            }
            switch (state) {
                case "SUCCEEDED" -> {
                    out.accept(String.format(Locale.ROOT, "%s job %s succeeded in %.0f s", kind, jobId,
                            (System.nanoTime() - begin) / 1e9));
                    return client.get(orchestrator("/jobs/" + jobId));
                }
                case "FAILED", "CANCELLED" -> {
                    client.get(orchestrator("/jobs/" + jobId));
                    throw new IllegalStateException(kind + " job " + jobId + " " + state + ": "
                            + job.path("failureReason").asString("") + "\nlog tail: " + job.path("logTail"));
                }
                default -> {
                    // QUEUED or RUNNING: keep following.
                }
            }
        }
    }

    /** The newest version of {@code name} in the registry (the one the job just published). */
    private ModelRef newest(ModelKind kind, String name, JsonNode job) {
        JsonNode models = client.get(orchestrator("/models?kind=" + kind.pathSegment()));
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

    /** Starts the serving services on the promoted models, captions a held-out image, generates one. */
    private Path serve(Path corpusDir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RECAP_STORE", data.resolve("store").toString());
        env.put("PORT", Integer.toString(options.portBase() + 1));
        start("caption-service", jar("caption-service", "caption-service-0.1.0-SNAPSHOT.jar"), new LinkedHashMap<>(env),
                options.portBase() + 1);
        env.put("PORT", Integer.toString(options.portBase() + 2));
        start("generation-service", jar("generation-service", "generation-service-0.1.0-SNAPSHOT.jar"), env,
                options.portBase() + 2);

        Path evalImage;
        try (var files = Files.list(corpusDir.resolve("images"))) {
            evalImage = files.sorted().skip(100).findFirst().orElseThrow();
        }
        client.note("Caption a held-out image (`" + corpusDir.relativize(evalImage) + "`; the transcript shows the"
                + " JSON form, `curl -F image=@file.png -F style=both` works too):");
        JsonNode caption = client.post(URI.create("http://127.0.0.1:" + (options.portBase() + 1) + "/caption"),
                Map.of("imageBase64", Base64.getEncoder().encodeToString(Files.readAllBytes(evalImage)),
                        "style", "both"));
        out.accept("caption-service:       " + caption.path("captions"));
        String prompt = "a red circle and a blue square";
        JsonNode generated = client.post(URI.create("http://127.0.0.1:" + (options.portBase() + 2) + "/generate"),
                Map.of("prompt", prompt, "seed", 7, "count", 1));
        Path png = runDir.resolve("generated.png");
        Files.write(png, Base64.getDecoder().decode(generated.path("imagesPngBase64").get(0).asString()));
        out.accept("generation-service:    \"" + prompt + "\" -> " + png);
        return png;
    }

    private JsonNode pollQuietly(URI url) {
        try {
            return client.poll(url);
        } catch (PlatformClient.HttpProblem e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private URI orchestrator(String path) {
        return URI.create("http://127.0.0.1:" + options.portBase() + path);
    }

    private static String path(ModelRef ref) {
        return ref.kind().pathSegment() + "/" + ref.name() + "/" + ref.version();
    }

    private Path jar(String module, String file) {
        return root.resolve(module).resolve("target").resolve(file);
    }

    /** Keeps the services running until the JVM is stopped (Ctrl-C). */
    void awaitShutdown() throws InterruptedException {
        out.accept("serving; Ctrl-C stops everything");
        Thread.currentThread().join();
    }

    /** Stops what was started, newest first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.accept("could not stop " + started.get(i) + ": " + e.getMessage());
            }
        }
        started.clear();
    }
}
