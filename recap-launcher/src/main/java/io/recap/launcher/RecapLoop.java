package io.recap.launcher;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.launcher.http.Jobs;
import io.recap.launcher.http.PlatformClient;
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
 * The RECAP loop, through the platform's own services and REST API. In the local mode it starts that platform on this
 * machine ({@link LocalPlatform}: a real Kafka broker, the orchestrator (H2, local executor), a relabel worker, then
 * caption-service and generation-service serving the results); given {@code --platform-url} it drives one that already
 * runs (the Compose stack, say) and starts nothing, its files reaching the platform through {@link PlatformData}.
 *
 * <ol>
 * <li>(demo) install the shipped pretrained bases from {@code models/} into the store, checking their SHA-256;</li>
 * <li>ingest the corpus ({@code POST /corpora/{id}/ingest});</li>
 * <li>CAPTIONER_FINETUNE: fine-tune the shipped captioner base (or pretrain one, from scratch) on the 100 human
 *     captions; promote;</li>
 * <li>RELABEL the corpus with that captioner (SHORT and LONG) through the worker;</li>
 * <li>T2I_FINETUNE twice on the same images from the shipped text-to-image base (or from scratch): the
 *     RECAP mix (SHORT/LONG 50/50) and alt-text only;</li>
 * <li>EVALUATE both on the same held-out prompts and noise, compare them image by image
 *     ({@code GET /models/comparison}), write the report; promote the RECAP model;</li>
 * <li>caption one held-out image and generate one image through the two serving services.</li>
 * </ol>
 * Every REST call is written to {@code transcript.md} as a curl command with its answer.
 */
final class RecapLoop implements AutoCloseable {

    private static final Duration POLL = Duration.ofSeconds(2);
    /** How long the serving services may take to load a promoted model: they re-read the store every 10 s. */
    private static final Duration SERVING_WAIT = Duration.ofMinutes(2);

    private final LaunchOptions options;
    private final Path root;
    private final Path data;
    private final Path runDir;
    private final Consumer<String> out;
    private final PlatformClient client;
    private final Jobs jobs;
    /** Wall seconds of each stage, for the reports. */
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    /** Where corpora and the store are, as this host and as the platform see them. */
    private final PlatformData platformData;
    /** The platform this loop started (the local mode); null against a running one. */
    private final LocalPlatform local;
    /** The local mode's admin key, whose file the services it starts accept; null against a running platform. */
    private final LocalApiKey localKey;
    private final URI orchestratorUrl;
    private final URI captionUrl;
    private final URI generationUrl;

    RecapLoop(LaunchOptions options, Path root, Consumer<String> out) {
        this.options = options;
        this.root = root;
        this.data = options.dataDir().toAbsolutePath();
        this.runDir = data.resolve("runs").resolve(Instant.now().toString().replace(':', '-'));
        this.out = out;
        this.platformData = options.platformData();
        LaunchOptions.ExistingPlatform platform = options.platform();
        String key;
        if (platform == null) {
            localKey = LocalApiKey.ensure(data);
            key = localKey.key();
            local = new LocalPlatform(data, options.portBase(), localKey, root, runDir.resolve("logs"), out);
            orchestratorUrl = local.orchestrator();
            captionUrl = local.caption();
            generationUrl = local.generation();
        } else {
            localKey = null;
            key = platform.apiKey();
            local = null;
            orchestratorUrl = platform.orchestrator();
            captionUrl = platform.caption();
            generationUrl = platform.generation();
        }
        this.client = new PlatformClient(runDir.resolve("transcript.md"), key);
        this.jobs = new Jobs(client, orchestratorUrl, out);
    }

    /** The shipped bases the demo fine-tunes (installed from {@code models/} at the repository root). */
    static final ModelRef CAPTIONER_BASE = ModelRef.parse("captioner/shapes-captioner-base/v1");
    static final ModelRef T2I_BASE = ModelRef.parse("text-to-image/shapes-t2i-base/v4");

    /**
     * The fine-tunes of the shipped bases besides their step counts: each text-to-image model with a learning rate
     * for a warm start and an EMA horizon well inside the run, the same seed for both. (The rate is the base's own peak:
     * the fine-tune has a few hundred to a thousand steps to teach words the base never bound to pixels.)
     */
    static final Map<String, Object> BASE_T2I_PARAMS = Map.of("learningRate", "1e-3", "finalLearningRate", "1e-4",
            "warmupSteps", "20", "emaDecay", "0.99", "sampleEvery", "0");

    /** What the loop produced, for the summary. */
    record Outcome(ModelRef captioner, ModelRef recapModel, ModelRef altModel, JsonNode comparison, Path report,
            Path transcript, Path generatedImage) {
    }

    /** The paper's four fine-tunes, by the caption mix each trains on; the alt-text one is every comparison's baseline. */
    static final Map<String, CaptionMix> EXPERIMENT_VARIANTS = variants();

    private static Map<String, CaptionMix> variants() {
        Map<String, CaptionMix> variants = new LinkedHashMap<>();
        variants.put("alt", CaptionMix.ALT_ONLY);
        variants.put("short", CaptionMix.SHORT_ONLY);
        variants.put("long", CaptionMix.LONG_ONLY);
        variants.put("mix", CaptionMix.RECAP_MIX);
        return variants;
    }

    Outcome run(String corpusId, Path corpusDir) throws Exception {
        ModelRef captioner = prepare("RECAP loop", corpusId, corpusDir);

        // The two fine-tunes differ only in their captions: same base, steps and seed. Locally they train at once, each
        // in its own trainer process on its own core (the orchestrator's "cpu" pool, see LocalPlatform.TRAINER_POOLS);
        // a running platform schedules them by its own pools.
        long begin = System.nanoTime();
        String recapJob = submitTextToImage(corpusId, captioner, CaptionMix.RECAP_MIX, "t2i-recap", 1);
        String altJob = submitTextToImage(corpusId, captioner, CaptionMix.ALT_ONLY, "t2i-alt", 1);
        List<JsonNode> trained = jobs.await(List.of(recapJob, altJob));
        stageSeconds.put("t2i_finetune_both", seconds(begin));
        ModelRef recapModel = jobs.newest(ModelKind.TEXT_TO_IMAGE, "t2i-recap", trained.get(0));
        ModelRef altModel = jobs.newest(ModelKind.TEXT_TO_IMAGE, "t2i-alt", trained.get(1));
        begin = System.nanoTime();
        jobs.await(List.of(submitEvaluation(recapModel), submitEvaluation(altModel)));
        stageSeconds.put("evaluate_both", seconds(begin));
        JsonNode comparison = compare(altModel, List.of(recapModel));
        Path report = ComparisonReport.write(comparison, runDir, options.preset(), this::downloadSamples);
        client.post(orchestrator("/models/" + path(recapModel) + "/promote"), null);

        Path image = serve(corpusDir, captioner, recapModel);
        return new Outcome(captioner, recapModel, altModel, comparison, report, runDir.resolve("transcript.md"), image);
    }

    /**
     * The RECAP experiment: from the shipped bases, the four fine-tunes (Alttext, Short, Long, Mix) with each of
     * {@code seeds} training seeds, one after the other, all evaluated on the same prompts and noise (the base too), each
     * seed's three RECAP variants compared with its Alttext one; the captioner's caption statistics beside them.
     * Writes {@code recap-table.md}, {@code recap-table.json} and the PNGs under the run's {@code report/}.
     *
     * @return the table's markdown file
     */
    Path runExperiment(String corpusId, Path corpusDir, int seeds) throws Exception {
        long total = System.nanoTime();
        ModelRef captioner = prepare("RECAP experiment (" + seeds + " training seeds)", corpusId, corpusDir);
        long begin = System.nanoTime();
        jobs.await(List.of(jobs.submit("EVALUATE", Map.of("model", captioner.toString()), Map.of("scenes", "200"))));
        JsonNode captionerEvaluation = client.get(orchestrator("/models/" + path(captioner)));
        stageSeconds.put("captioner_evaluate", seconds(begin));

        begin = System.nanoTime();
        Map<String, String> jobIds = new LinkedHashMap<>();
        for (int seed = 1; seed <= seeds; seed++) {
            for (Map.Entry<String, CaptionMix> variant : EXPERIMENT_VARIANTS.entrySet()) {
                String name = "t2i-" + variant.getKey() + "-s" + seed;
                jobIds.put(name, submitTextToImage(corpusId, captioner, variant.getValue(), name, seed));
            }
        }
        List<JsonNode> trained = jobs.await(new ArrayList<>(jobIds.values()));
        stageSeconds.put("t2i_finetune_all", seconds(begin));
        Map<String, ModelRef> models = new LinkedHashMap<>();
        int i = 0;
        for (String name : jobIds.keySet()) {
            JsonNode job = trained.get(i++);
            models.put(name, jobs.newest(ModelKind.TEXT_TO_IMAGE, name, job));
            stageSeconds.put("t2i_finetune." + name, Jobs.runningSeconds(job));
        }
        begin = System.nanoTime();
        List<String> evaluations = new ArrayList<>();
        evaluations.add(submitEvaluation(T2I_BASE));
        models.values().forEach(model -> evaluations.add(submitEvaluation(model)));
        jobs.await(evaluations);
        stageSeconds.put("t2i_evaluate_all", seconds(begin));

        List<JsonNode> comparisons = new ArrayList<>();
        for (int seed = 1; seed <= seeds; seed++) {
            List<ModelRef> others = new ArrayList<>();
            for (String variant : EXPERIMENT_VARIANTS.keySet()) {
                if (!variant.equals("alt")) {
                    others.add(models.get("t2i-" + variant + "-s" + seed));
                }
            }
            comparisons.add(compare(models.get("t2i-alt-s" + seed), others));
        }
        JsonNode base = client.get(orchestrator("/models/" + path(T2I_BASE)));
        stageSeconds.put("total", seconds(total));
        return RecapTable.write(new RecapTable.Inputs(options, corpusId, captioner, captionerEvaluation, base,
                comparisons, stageSeconds), runDir.resolve("report"), this::downloadSamples);
    }

    /**
     * What every run does first: the transcript's heading, the shipped bases into the store (runs from the bases),
     * the broker, orchestrator and worker (the local mode), the corpus ingested, the captioner fine-tuned and the
     * corpus relabelled.
     *
     * @return the promoted captioner whose captions the corpus now has
     */
    private ModelRef prepare(String title, String corpusId, Path corpusDir) throws Exception {
        String heading = "# " + title + ", preset `" + options.preset() + "`, corpus `" + corpusId + "`\n\nStarted "
                + Instant.now() + ". Every call below was made by the launcher (`recap-launcher`); the answers are"
                + " the platform's own.\n\n";
        if (localKey != null) {
            client.note(heading + "Every call presents the local admin API key, made at the first run and kept in `"
                    + localKey.keyFile() + "` (readable by its owner only): `export RECAP_API_KEY=$(cat "
                    + localKey.keyFile() + ")` makes the commands below work as shown.");
            out.accept("API key (admin):       " + localKey.keyFile() + "  (curl -H \"X-API-Key: $(cat "
                    + localKey.keyFile() + ")\" ...)");
        } else {
            String source = options.platform().apiKeySource();
            client.note(heading + "The platform was already running (orchestrator " + orchestratorUrl
                    + ", caption-service " + captionUrl + ", generation-service " + generationUrl + "); the launcher"
                    + " started none of it. Its data directory, where the launcher wrote the corpus"
                    + (options.fromBases() ? " and the shipped bases" : "") + ", is `" + platformData
                    + "`. Every call presents the API key from `" + source + "`"
                    + (source.startsWith("$") ? "" : ": `export RECAP_API_KEY=$(cat " + source + ")`")
                    + " makes the commands below work as shown.");
            out.accept("platform:              " + orchestratorUrl + ", " + captionUrl + ", " + generationUrl
                    + " (already running; API key from " + source + ")");
            out.accept("platform data:         " + platformData);
        }
        if (options.fromBases()) {
            List<String> installed = ShippedModels.install(root.resolve("models"), platformData.store());
            for (String ref : installed) {
                platformData.handOver(platformData.store().resolve(ModelRef.parse(ref).storeDirectory()));
            }
            out.accept("shipped bases:         " + String.join(", ", installed));
        }
        if (local != null) {
            local.startBackbone();
        }
        ingest(corpusId, corpusDir);
        return captionAndRelabel(corpusId);
    }

    /** CAPTIONER_FINETUNE (from the shipped base, or pretrained from scratch), promote, RELABEL both styles. */
    private ModelRef captionAndRelabel(String corpusId) throws InterruptedException {
        Map<String, Object> captionerSpec = new LinkedHashMap<>();
        captionerSpec.put("humanSet", corpusId);
        captionerSpec.put("preset", options.jobPreset());
        if (options.fromBases()) {
            captionerSpec.put("baseModel", CAPTIONER_BASE.toString());
        }
        long begin = System.nanoTime();
        JsonNode captionerJob = jobs.run("CAPTIONER_FINETUNE", captionerSpec, options.fromBases()
                ? Map.of("fineTuneSteps", Integer.toString(options.budget().captionerSteps())) : Map.of());
        stageSeconds.put("captioner_finetune", seconds(begin));
        ModelRef captioner = jobs.newest(ModelKind.CAPTIONER, "shapes", captionerJob);
        client.post(orchestrator("/models/" + path(captioner) + "/promote"), null);
        begin = System.nanoTime();
        jobs.run("RELABEL", Map.of("corpusId", corpusId, "captioner", captioner.toString(),
                "styles", List.of("short", "long")), Map.of());
        stageSeconds.put("relabel", seconds(begin));
        return captioner;
    }

    private JsonNode compare(ModelRef baseline, List<ModelRef> others) {
        return client.get(orchestrator("/models/comparison?baseline=" + baseline + "&models="
                + String.join(",", others.stream().map(ModelRef::toString).toList())));
    }

    private void downloadSamples(ModelRef model, Path file) {
        client.download(orchestrator("/models/" + path(model) + "/evaluation/samples.png"), file);
    }

    private static double seconds(long begin) {
        return Math.round((System.nanoTime() - begin) / 1e8) / 10.0;
    }

    private void ingest(String corpusId, Path corpusDir) throws InterruptedException {
        JsonNode receipt = client.post(orchestrator("/corpora/" + corpusId + "/ingest"),
                Map.of("manifestDir", platformData.platformPath(corpusDir)));
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

    private String submitTextToImage(String corpusId, ModelRef captioner, CaptionMix mix, String name, int seed) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("corpusId", corpusId);
        spec.put("captioner", captioner.toString());
        spec.put("captionMix", mix);
        spec.put("preset", options.jobPreset());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("modelName", name);
        if (options.fromBases()) {
            spec.put("baseModel", T2I_BASE.toString());
            params.putAll(BASE_T2I_PARAMS);
            params.put("steps", Integer.toString(options.budget().t2iSteps()));
            params.put("seed", Integer.toString(seed));
        }
        return jobs.submit("T2I_FINETUNE", spec, params);
    }

    private String submitEvaluation(ModelRef model) {
        Map<String, Object> params = switch (options.preset()) {
            case "smoke" -> Map.of("prompts", "24", "imagesPerPrompt", "1");
            case "small" -> Map.of("prompts", "200", "imagesPerPrompt", "4");
            default -> Map.of("prompts", Integer.toString(options.budget().evalPrompts()), "imagesPerPrompt",
                    Integer.toString(options.budget().imagesPerPrompt()));
        };
        return jobs.submit("EVALUATE", Map.of("model", model.toString()), params);
    }

    /**
     * Captions a held-out image and generates one through the serving services, once they serve the models this run
     * promoted: the local mode starts them now, on those models; a running platform's pick a promotion up when they
     * next read the store.
     */
    private Path serve(Path corpusDir, ModelRef captioner, ModelRef recapModel) throws IOException,
            InterruptedException {
        if (local != null) {
            local.startServing(true);
        }
        Path evalImage;
        try (var files = Files.list(corpusDir.resolve("images"))) {
            evalImage = files.sorted().skip(100).findFirst().orElseThrow();
        }
        Map<String, Object> captionRequest = Map.of("imageBase64",
                Base64.getEncoder().encodeToString(Files.readAllBytes(evalImage)), "style", "both");
        URI caption = URI.create(captionUrl + "/caption");
        awaitServing("caption-service", caption, captionRequest, captioner);
        client.note("Caption a held-out image (`" + corpusDir.relativize(evalImage) + "`; the transcript shows the"
                + " JSON form, `curl -F image=@file.png -F style=both` works too):");
        JsonNode answer = client.post(caption, captionRequest);
        out.accept("caption-service:       " + answer.path("captions"));
        String prompt = "a red circle and a blue square";
        Map<String, Object> generateRequest = Map.of("prompt", prompt, "seed", 7, "count", 1);
        URI generate = URI.create(generationUrl + "/generate");
        awaitServing("generation-service", generate, generateRequest, recapModel);
        JsonNode generated = client.post(generate, generateRequest);
        Path png = runDir.resolve("generated.png");
        Files.write(png, Base64.getDecoder().decode(generated.path("imagesPngBase64").get(0).asString()));
        out.accept("generation-service:    \"" + prompt + "\" -> " + png);
        return png;
    }

    /**
     * Asks {@code url} (unrecorded) until the model that answers is {@code wanted}: a service without a model answers
     * 503, one that has not yet read the promotion answers with the model promoted before, one still starting not at
     * all.
     */
    private void awaitServing(String service, URI url, Map<String, Object> request, ModelRef wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + SERVING_WAIT.toNanos();
        String last = "no answer";
        while (true) {
            try {
                JsonNode model = client.postQuietly(url, request).path("model");
                if (wanted.name().equals(model.path("name").asString())
                        && wanted.version().equals(model.path("version").asString())) {
                    return;
                }
                last = "it serves " + model;
            } catch (PlatformClient.HttpProblem e) {
                if (e.status() != 503) {
                    throw e;
                }
                last = e.getMessage();
            } catch (java.io.UncheckedIOException e) {
                // Not listening yet: a running platform's service may have been started after the loop was.
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service + " did not serve " + wanted + " within " + SERVING_WAIT
                        + ": " + last);
            }
            Thread.sleep(POLL.toMillis());
        }
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
        return URI.create(orchestratorUrl + path);
    }

    private static String path(ModelRef ref) {
        return ref.kind().pathSegment() + "/" + ref.name() + "/" + ref.version();
    }

    /** Keeps the services running until the JVM is stopped (Ctrl-C). */
    void awaitShutdown() throws InterruptedException {
        out.accept("serving; Ctrl-C stops everything");
        Thread.currentThread().join();
    }

    /** Stops what the loop started (the local mode's platform); a running platform is left as it is. */
    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
