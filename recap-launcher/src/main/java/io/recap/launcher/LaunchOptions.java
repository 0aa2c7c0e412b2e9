package io.recap.launcher;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

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

    static final String USAGE = "usage: java -jar recap-launcher.jar [--data DIR] [--preset demo|ci|smoke|small]"
            + " [--count N] [--seed S] [--port-base P] [--serve] [--corpus-only]"
            + " [--experiment [--seeds N] [--t2i-steps N]]";

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

    static LaunchOptions parse(String[] args) {
        Path dataDir = DEFAULTS.dataDir;
        int count = DEFAULTS.count;
        long seed = DEFAULTS.seed;
        String preset = DEFAULTS.preset;
        int portBase = DEFAULTS.portBase;
        boolean serve = false;
        boolean corpusOnly = false;
        boolean experiment = false;
        int seeds = DEFAULTS.seeds;
        int t2iSteps = DEFAULTS.t2iSteps;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--serve" -> serve = true;
                case "--corpus-only" -> corpusOnly = true;
                case "--experiment" -> experiment = true;
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value after " + flag + "\n" + USAGE);
                    }
                    String value = args[++i];
                    switch (flag) {
                        case "--data" -> dataDir = Path.of(value);
                        case "--count" -> count = Integer.parseInt(value);
                        case "--seed" -> seed = Long.parseLong(value);
                        case "--preset" -> preset = value.toLowerCase(Locale.ROOT);
                        case "--port-base" -> portBase = Integer.parseInt(value);
                        case "--seeds" -> seeds = Integer.parseInt(value);
                        case "--t2i-steps" -> t2iSteps = Integer.parseInt(value);
                        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
                    }
                }
            }
        }
        return new LaunchOptions(dataDir, count, seed, preset, portBase, serve, corpusOnly, experiment, seeds,
                t2iSteps);
    }
}
