package io.recap.launcher;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Command-line options of the launcher, with the embedded defaults.
 *
 * @param dataDir everything the run writes: corpora, Kafka log, H2 database, model store, logs
 * @param count scenes in the generated corpus (0: the preset's)
 * @param seed corpus seed
 * @param preset {@code demo} (the default: fine-tunes the shipped pretrained bases under {@code models/} for
 *     minutes and shows the RECAP effect), {@code ci} (the same at its smallest size, what CI runs), {@code smoke}
 *     (from scratch in minutes: proves the loop, models barely trained) or {@code small} (from scratch, a few hours
 *     on 2 CPU cores: models that really learn)
 * @param portBase orchestrator on this port, caption-service +1, generation-service +2, relabel-worker +3
 * @param serve keep the services running after the loop until the process is stopped
 * @param corpusOnly only generate the corpus and its contact sheet
 * @param experiment run the RECAP experiment (four fine-tunes x seeds, the RECAP table) instead of the main job
 * @param seeds training seeds of each fine-tune in the experiment
 * @param t2iSteps fine-tuning steps of each text-to-image model (0: the preset's)
 * @param platform the running platform to drive ({@code --platform-url}); null: start one here (the local mode)
 */
record LaunchOptions(Path dataDir, int count, long seed, String preset, int portBase, boolean serve,
        boolean corpusOnly, boolean experiment, int seeds, int t2iSteps, ExistingPlatform platform) {

    /** The variable holding the API key when no {@code --api-key-file} is given. */
    static final String API_KEY_VARIABLE = "RECAP_API_KEY";

    /**
     * A platform that already runs (Compose, Kubernetes, another launcher's {@code --serve}), driven through its
     * published ports: the launcher starts nothing there and makes no key. The platform reads corpora and models
     * only from its own data directory, and its API takes neither uploads of corpora nor of models, so the launcher
     * writes both into that directory from this host: {@code data} must be the same directory (a bind mount, an NFS
     * mount) that the services see as {@code dataPath}.
     *
     * @param orchestrator the training-orchestrator's base URL
     * @param caption caption-service's base URL
     * @param generation generation-service's base URL
     * @param apiKeyFile the file holding the API key (an admin's: the loop promotes models); null: {@value
     *     #API_KEY_VARIABLE}
     * @param data the platform's data directory as this host sees it ({@code corpora/}, {@code store/} below it)
     * @param dataPath the same directory as the platform's services see it, for the paths sent to them
     */
    record ExistingPlatform(URI orchestrator, URI caption, URI generation, Path apiKeyFile, Path data,
            String dataPath) {

        /** Where the platform's files are, shared with it. */
        PlatformData platformData() {
            return PlatformData.shared(data, dataPath);
        }

        /** Where the key comes from, for the console and the transcript (never the key itself). */
        String apiKeySource() {
            return apiKeyFile == null ? "$" + API_KEY_VARIABLE : apiKeyFile.toAbsolutePath().toString();
        }

        /** The key: the file's first line, else the variable's value. */
        String apiKey() {
            try {
                String key = apiKeyFile == null ? System.getenv(API_KEY_VARIABLE)
                        : Files.readString(apiKeyFile).strip();
                if (key == null || key.isBlank()) {
                    throw new IllegalStateException("no API key in " + apiKeySource());
                }
                return key;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read the API key file " + apiKeyFile, e);
            }
        }
    }

    static final String DEMO = "demo";
    static final String CI = "ci";
    static final Set<String> PRESETS = Set.of(DEMO, CI, "smoke", "small");

    /**
     * What a run from the shipped bases does at each stage.
     *
     * @param scenes scenes in the generated corpus (100 of them human-captioned)
     * @param captionerSteps fine-tuning steps of the captioner base on the human captions
     * @param t2iSteps fine-tuning steps of each text-to-image model (batch 32)
     * @param evalPrompts held-out prompts each model is evaluated on
     * @param imagesPerPrompt images per prompt
     */
    record Budget(int scenes, int captionerSteps, int t2iSteps, int evalPrompts, int imagesPerPrompt) {
    }

    /** The default run: its two text-to-image fine-tunes train at once, one core each. */
    static final Budget DEMO_BUDGET = new Budget(2_000, 300, 1_200, 150, 2);
    /** The same run at a size that still exercises every stage: what CI runs. */
    static final Budget CI_BUDGET = new Budget(600, 100, 150, 60, 2);

    static final LaunchOptions DEFAULTS = new LaunchOptions(Path.of("recap-data"), 0, 42, DEMO, 8080, false, false,
            false, 2, 0, null);

    LaunchOptions {
        if (!PRESETS.contains(preset)) {
            throw new IllegalArgumentException("--preset must be demo, ci, smoke or small but was " + preset);
        }
        if (count < 0 || portBase < 1024 || portBase > 65_000) {
            throw new IllegalArgumentException("--count must be positive and --port-base 1024..65000");
        }
        if (seeds < 1 || t2iSteps < 0) {
            throw new IllegalArgumentException("--seeds must be at least 1 and --t2i-steps positive");
        }
        // Fields are assigned after this body: test the parameter, not fromBases().
        if (experiment && !DEMO.equals(preset) && !CI.equals(preset)) {
            throw new IllegalArgumentException("--experiment fine-tunes the shipped bases: use --preset demo or ci");
        }
        if (platform != null && serve) {
            throw new IllegalArgumentException("--serve keeps up the services the launcher starts; a platform given by"
                    + " --platform-url keeps serving without it");
        }
    }

    /** Where the corpora and the model store are: this run's data directory, or the running platform's. */
    PlatformData platformData() {
        return platform == null ? PlatformData.local(dataDir) : platform.platformData();
    }

    /** Scenes to generate: the option, else what the preset's captioner pipeline needs. */
    int scenes() {
        if (count > 0) {
            return count;
        }
        // The small captioner preset pretrains on 40,000 train scenes besides 100 human and 500 eval ones; a run
        // from the bases fine-tunes on a corpus the size a few minutes of training can use.
        return switch (preset) {
            case "small" -> 40_600;
            case DEMO, CI -> budget().scenes();
            default -> 1_000;
        };
    }

    /** Image side of the generated corpus: the small captioner (the shipped base's) reads 64x64, smoke's 32x32. */
    int imageSize() {
        return "smoke".equals(preset) ? 32 : 64;
    }

    /** Whether the run fine-tunes the shipped pretrained bases (else it trains every model from scratch). */
    boolean fromBases() {
        return DEMO.equals(preset) || CI.equals(preset);
    }

    /** The preset's stage sizes. */
    Budget presetBudget() {
        return CI.equals(preset) ? CI_BUDGET : DEMO_BUDGET;
    }

    /** The stage sizes of this run: the preset's, with {@code --t2i-steps}. */
    Budget budget() {
        Budget budget = presetBudget();
        return t2iSteps == 0 ? budget : new Budget(budget.scenes(), budget.captionerSteps(), t2iSteps,
                budget.evalPrompts(), budget.imagesPerPrompt());
    }

    /** The job preset of the training jobs: the shipped bases are the {@code small} architectures. */
    String jobPreset() {
        return fromBases() ? "small" : preset;
    }

    /**
     * Parses the command line (for tests and {@link RecapLauncher}, whose {@code --help} lists these options).
     *
     * @throws picocli.CommandLine.ParameterException for an unknown option or a missing or malformed value
     * @throws IllegalArgumentException for values out of range or that do not go together
     */
    static LaunchOptions parse(String... args) {
        Flags flags = new Flags();
        new CommandLine(flags).parseArgs(args);
        return flags.toOptions();
    }

    /** The launcher's options as picocli parses them; their defaults are {@link #DEFAULTS}. */
    static final class Flags {

        @Option(names = "--data", paramLabel = "DIR",
                description = "Everything the run writes: corpora, Kafka log, H2 database, model store, logs; "
                        + "default ${DEFAULT-VALUE}.")
        Path dataDir = DEFAULTS.dataDir;

        @Option(names = "--preset", paramLabel = "demo|ci|smoke|small",
                description = "demo (the default: fine-tunes the shipped bases under models/ for minutes), ci (the "
                        + "same at its smallest size), smoke (from scratch in minutes, models barely trained) or "
                        + "small (from scratch, hours: models that really learn).")
        String preset = DEFAULTS.preset;

        @Option(names = "--count", paramLabel = "N",
                description = "Scenes in the generated corpus; default: the preset's.")
        int count = DEFAULTS.count;

        @Option(names = "--seed", paramLabel = "S", description = "The corpus seed; default ${DEFAULT-VALUE}.")
        long seed = DEFAULTS.seed;

        @Option(names = "--port-base", paramLabel = "P", description = "Orchestrator on this port, caption-service "
                + "+1, generation-service +2, relabel-worker +3; default ${DEFAULT-VALUE}.")
        int portBase = DEFAULTS.portBase;

        @Option(names = "--serve", description = "Keep the services running after the loop until the process is "
                + "stopped.")
        boolean serve;

        @Option(names = "--corpus-only", description = "Only generate the corpus and its contact sheet.")
        boolean corpusOnly;

        @Option(names = "--experiment", description = "Run the RECAP experiment (four fine-tunes x seeds, the RECAP "
                + "table) instead of the main job; demo or ci preset only.")
        boolean experiment;

        @Option(names = "--seeds", paramLabel = "N",
                description = "Training seeds of each fine-tune in the experiment; default ${DEFAULT-VALUE}.")
        int seeds = DEFAULTS.seeds;

        @Option(names = "--t2i-steps", paramLabel = "N",
                description = "Fine-tuning steps of each text-to-image model; default: the preset's.")
        int t2iSteps = DEFAULTS.t2iSteps;

        @Option(names = "--platform-url", paramLabel = "URL",
                description = "Drive this running platform's orchestrator (e.g. http://127.0.0.1:8080, the Compose "
                        + "stack's) instead of starting one: no broker, no services, no local keys.")
        URI platformUrl;

        @Option(names = "--caption-url", paramLabel = "URL",
                description = "With --platform-url: caption-service; default the orchestrator's host, its port +1.")
        URI captionUrl;

        @Option(names = "--generation-url", paramLabel = "URL",
                description = "With --platform-url: generation-service; default the orchestrator's host, its port +2.")
        URI generationUrl;

        @Option(names = "--api-key-file", paramLabel = "FILE",
                description = "With --platform-url: the file holding an admin API key; default: the variable "
                        + API_KEY_VARIABLE + ".")
        Path apiKeyFile;

        @Option(names = "--platform-data", paramLabel = "DIR",
                description = "With --platform-url (required): the platform's data directory as this host sees it "
                        + "(a bind mount of its /recap-data); the corpus and the shipped bases are written there.")
        Path platformData;

        @Option(names = "--platform-data-path", paramLabel = "PATH",
                description = "With --platform-url: the same directory as the platform's services see it (e.g. "
                        + "/recap-data); default: --platform-data's absolute path.")
        String platformDataPath;

        /** The options, validated; an {@link IllegalArgumentException} names what is wrong. */
        LaunchOptions toOptions() {
            return new LaunchOptions(dataDir, count, seed, preset.toLowerCase(Locale.ROOT), portBase, serve,
                    corpusOnly, experiment, seeds, t2iSteps, existingPlatform());
        }

        private ExistingPlatform existingPlatform() {
            if (platformUrl == null) {
                if (captionUrl != null || generationUrl != null || apiKeyFile != null || platformData != null
                        || platformDataPath != null) {
                    throw new IllegalArgumentException("--caption-url, --generation-url, --api-key-file, "
                            + "--platform-data and --platform-data-path go with --platform-url");
                }
                return null;
            }
            if (portBase != DEFAULTS.portBase) {
                throw new IllegalArgumentException("--port-base places the services the launcher starts; with "
                        + "--platform-url name them by --caption-url and --generation-url");
            }
            URI orchestrator = baseUrl("--platform-url", platformUrl);
            if (orchestrator.getPort() < 0 && (captionUrl == null || generationUrl == null)) {
                throw new IllegalArgumentException("--platform-url " + platformUrl + " names no port, so "
                        + "--caption-url and --generation-url cannot be derived from it: give both");
            }
            URI caption = captionUrl != null ? baseUrl("--caption-url", captionUrl) : nextPort(orchestrator, 1);
            URI generation = generationUrl != null ? baseUrl("--generation-url", generationUrl)
                    : nextPort(orchestrator, 2);
            if (platformData == null) {
                throw new IllegalArgumentException("--platform-url needs --platform-data DIR: the platform's data "
                        + "directory (its /recap-data) as this host sees it, where the corpus and the shipped bases go");
            }
            if (!Files.isDirectory(platformData)) {
                throw new IllegalArgumentException("--platform-data " + platformData + " is not a directory");
            }
            String inside = platformDataPath != null ? platformDataPath : platformData.toAbsolutePath().toString();
            if (!inside.startsWith("/")) {
                throw new IllegalArgumentException("--platform-data-path must be absolute but was " + inside);
            }
            if (apiKeyFile != null && !Files.isReadable(apiKeyFile)) {
                throw new IllegalArgumentException("--api-key-file " + apiKeyFile + " cannot be read");
            }
            if (apiKeyFile == null && System.getenv(API_KEY_VARIABLE) == null) {
                throw new IllegalArgumentException("--platform-url needs an API key: --api-key-file FILE or the "
                        + "variable " + API_KEY_VARIABLE);
            }
            return new ExistingPlatform(orchestrator, caption, generation, apiKeyFile, platformData, inside);
        }

        /** {@code url} without a trailing slash, so that paths append to it; http or https with a host. */
        private static URI baseUrl(String option, URI url) {
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an http(s) URL with a host but was " + url);
            }
            String text = url.toString();
            return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        }

        /** The Compose stack's and the local mode's layout: caption-service one port up, generation-service two. */
        private static URI nextPort(URI orchestrator, int offset) {
            try {
                return new URI(orchestrator.getScheme(), null, orchestrator.getHost(), orchestrator.getPort() + offset,
                        null, null, null);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("cannot derive a service URL from " + orchestrator, e);
            }
        }
    }
}
