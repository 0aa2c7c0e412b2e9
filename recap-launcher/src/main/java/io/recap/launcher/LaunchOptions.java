package io.recap.launcher;

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
 */
record LaunchOptions(Path dataDir, int count, long seed, String preset, int portBase, boolean serve,
        boolean corpusOnly, boolean experiment, int seeds, int t2iSteps) {

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
            false, 2, 0);

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

        /** The options, validated; an {@link IllegalArgumentException} names what is wrong. */
        LaunchOptions toOptions() {
            return new LaunchOptions(dataDir, count, seed, preset.toLowerCase(Locale.ROOT), portBase, serve,
                    corpusOnly, experiment, seeds, t2iSteps);
        }
    }
}
