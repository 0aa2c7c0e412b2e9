package io.recap.launcher;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line options of the launcher, with the embedded defaults.
 *
 * @param dataDir everything the run writes: corpora, Kafka log, H2 database, model store, logs
 * @param count scenes in the generated corpus
 * @param seed corpus seed
 * @param preset {@code demo} (the default: fine-tunes the shipped pretrained bases under {@code models/} for
 *     minutes and shows the RECAP effect), {@code ci} (the same at its smallest size, what CI runs), {@code smoke} (from scratch in minutes: proves the loop, models barely
 *     trained) or {@code small} (from scratch, a few hours on 2 CPU cores: models that really learn)
 * @param portBase orchestrator on this port, caption-service +1, generation-service +2, relabel-worker +3
 * @param serve keep the services running after the loop until the process is stopped
 * @param corpusOnly only generate the corpus and its contact sheet
 */
record LaunchOptions(Path dataDir, int count, long seed, String preset, int portBase, boolean serve,
        boolean corpusOnly) {

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

    /** The default run. */
    static final Budget DEMO_BUDGET = new Budget(2_000, 300, 300, 100, 2);
    /** The same run at the smallest size whose comparison still resolves the effect: what CI runs. */
    static final Budget CI_BUDGET = new Budget(600, 100, 150, 60, 2);
    static final LaunchOptions DEFAULTS = new LaunchOptions(Path.of("recap-data"), 0, 42, DEMO, 8080, false, false);

    static final String USAGE = "usage: java -jar recap-launcher.jar [--data DIR] [--preset demo|ci|smoke|small] [--count N]"
            + " [--seed S] [--port-base P] [--serve] [--corpus-only]";

    LaunchOptions {
        if (!PRESETS.contains(preset)) {
            throw new IllegalArgumentException("--preset must be demo, ci, smoke or small but was " + preset);
        }
        if (count < 0 || portBase < 1024 || portBase > 65_000) {
            throw new IllegalArgumentException("--count must be positive and --port-base 1024..65000");
        }
    }

    /** Scenes to generate: the option, else what the preset's captioner pipeline needs. */
    int scenes() {
        if (count > 0) {
            return count;
        }
        // The small captioner preset pretrains on 40,000 train scenes besides 100 human and 500 eval ones; the demo
        // fine-tunes on a corpus the size a few minutes of training can use.
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

    /** The stages' sizes of a run from the shipped bases. */
    Budget budget() {
        return CI.equals(preset) ? CI_BUDGET : DEMO_BUDGET;
    }

    /** The job preset of the training jobs: the shipped bases are the {@code small} architectures. */
    String jobPreset() {
        return fromBases() ? "small" : preset;
    }

    static LaunchOptions parse(String[] args) {
        LaunchOptions o = DEFAULTS;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--serve" -> o = new LaunchOptions(o.dataDir, o.count, o.seed, o.preset, o.portBase, true,
                        o.corpusOnly);
                case "--corpus-only" -> o = new LaunchOptions(o.dataDir, o.count, o.seed, o.preset, o.portBase,
                        o.serve, true);
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value after " + flag + "\n" + USAGE);
                    }
                    String value = args[++i];
                    o = switch (flag) {
                        case "--data" -> new LaunchOptions(Path.of(value), o.count, o.seed, o.preset, o.portBase,
                                o.serve, o.corpusOnly);
                        case "--count" -> new LaunchOptions(o.dataDir, Integer.parseInt(value), o.seed, o.preset,
                                o.portBase, o.serve, o.corpusOnly);
                        case "--seed" -> new LaunchOptions(o.dataDir, o.count, Long.parseLong(value), o.preset,
                                o.portBase, o.serve, o.corpusOnly);
                        case "--preset" -> new LaunchOptions(o.dataDir, o.count, o.seed,
                                value.toLowerCase(Locale.ROOT), o.portBase, o.serve, o.corpusOnly);
                        case "--port-base" -> new LaunchOptions(o.dataDir, o.count, o.seed, o.preset,
                                Integer.parseInt(value), o.serve, o.corpusOnly);
                        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
                    };
                }
            }
        }
        return o;
    }
}
