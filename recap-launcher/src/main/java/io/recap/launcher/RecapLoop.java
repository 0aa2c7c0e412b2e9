package io.recap.launcher;

import io.recap.broker.LocalKafkaBroker;
import io.recap.core.kafka.KafkaAcls;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.launcher.http.Jobs;
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

    private static final Duration SERVICE_START = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofSeconds(2);

    private final LaunchOptions options;
    private final Path root;
    private final Path data;
    private final Path runDir;
    private final Consumer<String> out;
    private final PlatformClient client;
    private final Jobs jobs;
    private final List<AutoCloseable> started = new ArrayList<>();
    /** Wall seconds of each stage, for the reports. */
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private String bootstrap;
    /** The admin key every call below presents; the services accept the keys in its file. */
    private final LocalApiKey apiKey;

    RecapLoop(LaunchOptions options, Path root, Consumer<String> out) {
        this.options = options;
        this.root = root;
        this.data = options.dataDir().toAbsolutePath();
        this.runDir = data.resolve("runs").resolve(Instant.now().toString().replace(':', '-'));
        this.out = out;
        this.apiKey = LocalApiKey.ensure(data);
        this.client = new PlatformClient(runDir.resolve("transcript.md"), apiKey.key());
        this.jobs = new Jobs(client, orchestrator(""), out);
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

    /**
     * How the orchestrator runs jobs here: text-to-image fine-tunes and evaluations in the {@code cpu} pool, one trainer
     * JVM per job (the process executor) and as many at once as the machine has cores, each with one PyTorch thread;
     * the captioner fine-tune and RELABEL (which coordinates the relabel workers) in the orchestrator itself, one at a
     * time.
     */
    static final Map<String, String> TRAINER_POOLS = Map.of(
            "RECAP_EXECUTOR_PROCESS_ENABLED", "true",
            "RECAP_EXECUTOR_PROCESS_JVMOPTIONS", "-Xmx2g,-Djava.awt.headless=true,-Dai.djl.offline=true,"
                    + "-Drecap.ml.threads=1",
            "RECAP_SCHEDULING_SLOTS_CPU", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())),
            "RECAP_SCHEDULING_EXECUTORS_CPU", "process",
            "RECAP_SCHEDULING_SLOTS_INPROCESS", "1",
            "RECAP_SCHEDULING_EXECUTORS_INPROCESS", "local",
            "RECAP_SCHEDULING_KINDPOOLS_RELABEL", "inprocess",
            "RECAP_SCHEDULING_KINDPOOLS_CAPTIONERFINETUNE", "inprocess");

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

        // The two fine-tunes differ only in their captions: same base, steps and seed. They train at once, each in
        // its own trainer process on its own core (the orchestrator's "cpu" pool, see startBackbone).
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

        Path image = serve(corpusDir);
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
     * the broker, orchestrator and worker, the corpus ingested, the captioner fine-tuned and the corpus relabelled.
     *
     * @return the promoted captioner whose captions the corpus now has
     */
    private ModelRef prepare(String title, String corpusId, Path corpusDir) throws Exception {
        client.note("# " + title + ", preset `" + options.preset() + "`, corpus `" + corpusId + "`\n\nStarted "
                + Instant.now() + ". Every call below was made by the launcher (`recap-launcher`); the answers are"
                + " the platform's own.\n\nEvery call presents the local admin API key, made at the first run and kept in `"
                + apiKey.keyFile() + "` (readable by its owner only): `export RECAP_API_KEY=$(cat " + apiKey.keyFile()
                + ")` makes the commands below work as shown.");
        out.accept("API key (admin):       " + apiKey.keyFile() + "  (curl -H \"X-API-Key: $(cat " + apiKey.keyFile()
                + ")\" ...)");
        if (options.fromBases()) {
            out.accept("shipped bases:         " + String.join(", ", ShippedModels.install(root.resolve("models"),
                    data.resolve("store"))));
        }
        startBackbone();
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

    /**
     * Broker, orchestrator and one relabel worker. The broker authenticates (SASL/SCRAM) and allows each service only
     * its ACLs, as a deployed one does: each service gets its own user and password file, and the orchestrator hands
     * its trainer JVMs the trainer's, which may write training events and nothing else.
     */
    private void startBackbone() {
        LocalKafkaCredentials kafka = LocalKafkaCredentials.ensure(data);
        quietKafkaClientLogs();
        LocalKafkaBroker broker = new LocalKafkaBroker(data.resolve("kafka"), 0, 4,
                new LocalKafkaBroker.Sasl(kafka.adminPassword()));
        started.add(broker);
        broker.start();
        broker.upsertScramUsers(kafka.servicePasswords());
        broker.applyPlatformAcls();
        bootstrap = broker.bootstrapServers();
        out.accept("kafka broker:          " + bootstrap + " (SASL/SCRAM, passwords in " + data.resolve("security")
                + "/kafka-*.password; log " + data.resolve("kafka/broker.log") + ")");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(options.portBase()));
        env.put("RECAP_DATA", data.toString());
        env.putAll(securityEnv(0));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.putAll(kafka.clientVariables(KafkaAcls.ORCHESTRATOR));
        env.putAll(TRAINER_POOLS);
        // Each trainer JVM inherits the orchestrator's environment; these replace its Kafka user and password file.
        // Arguments, because an environment variable cannot name a map key in upper case; they hold no secret.
        List<String> trainerKafka = new ArrayList<>();
        kafka.clientVariables(KafkaAcls.TRAINER).forEach((name, value) ->
                trainerKafka.add("--recap.executor.process.env[" + name + "]=" + value));
        ChildJvm orchestrator = start("training-orchestrator",
                jar("training-orchestrator", "training-orchestrator-0.1.0-SNAPSHOT-exec.jar"), env, trainerKafka,
                options.portBase());

        Map<String, String> workerEnv = new LinkedHashMap<>();
        workerEnv.put("PORT", Integer.toString(options.portBase() + 3));
        workerEnv.putAll(securityEnv(3));
        workerEnv.put("KAFKA_BOOTSTRAP", bootstrap);
        workerEnv.putAll(kafka.clientVariables(KafkaAcls.RELABEL_WORKER));
        workerEnv.put("RECAP_STORE", data.resolve("store").toString());
        workerEnv.put("RECAP_IMAGE_ROOTS", data.resolve("corpora").toString());
        start("relabel-worker", jar("relabel-worker", "relabel-worker-0.1.0-SNAPSHOT-exec.jar"), workerEnv,
                options.portBase() + 3);
        out.accept("training-orchestrator: " + orchestrator("/jobs") + " (log " + orchestrator.log() + ")");
    }

    /**
     * The launcher's own Kafka admin client (it sets the broker's users and ACLs) would print every setting at
     * logback's default level, DEBUG, among the launcher's lines; its warnings are all the console needs. Only this
     * JVM: the broker's child JVM logs to its own file as before.
     */
    private static void quietKafkaClientLogs() {
        if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private ChildJvm start(String name, Path jar, Map<String, String> env, int port) {
        return start(name, jar, env, List.of(), port);
    }

    private ChildJvm start(String name, Path jar, Map<String, String> env, List<String> args, int port) {
        ChildJvm jvm = ChildJvm.start(name, jar, List.of("-Xmx3g"), env, args, runDir.resolve("logs"));
        started.add(jvm);
        jvm.awaitHealthy(URI.create("http://127.0.0.1:" + managementPort(port - options.portBase())
                + "/actuator/health/readiness"), SERVICE_START);
        return jvm;
    }

    /** Actuator's port of the service on {@code portBase + offset}: a thousand above it. */
    private int managementPort(int offset) {
        return options.portBase() + 1000 + offset;
    }

    /** The key file and the management port of the service on {@code portBase + offset}. */
    private Map<String, String> securityEnv(int offset) {
        return Map.of("RECAP_SECURITY_APIKEYSFILE", apiKey.keysFile().toString(),
                "MANAGEMENT_PORT", Integer.toString(managementPort(offset)));
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

    /** Starts the serving services on the promoted models, captions a held-out image, generates one. */
    private Path serve(Path corpusDir) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RECAP_STORE", data.resolve("store").toString());
        env.put("PORT", Integer.toString(options.portBase() + 1));
        env.putAll(securityEnv(1));
        start("caption-service", jar("caption-service", "caption-service-0.1.0-SNAPSHOT.jar"), new LinkedHashMap<>(env),
                options.portBase() + 1);
        env.put("PORT", Integer.toString(options.portBase() + 2));
        env.putAll(securityEnv(2));
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
