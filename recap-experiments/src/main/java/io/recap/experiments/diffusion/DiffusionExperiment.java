package io.recap.experiments.diffusion;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.diffusion.DiffusionCheckpoint;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionPublisher;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.Prediction;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.training.TrainingReport;
import io.recap.shapesml.diffusion.PromptEvaluation;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Does the text-to-image model really learn? Trains the {@code small} preset on in-memory
 * ShapesWorld scenes (32x32) with ground-truth LONG captions, and again on alt-text only,
 * then samples held-out LONG prompts with DDIM and scores every image with the ShapesWorld
 * matcher; a guidance sweep picks the guidance scale.
 *
 * <p>{@code DiffusionExperiment PHASE [--name value]...}, phases {@code long}, {@code sweep},
 * {@code alt}, {@code compare} (epsilon against v prediction), {@code all} (also what no phase runs, with the
 * defaults); {@code DiffusionExperiment PHASE --help} lists the options ({@link Options}). Training resumes from
 * the newest checkpoint of its run, so a killed run continues. Results go to {@code --out} (JSON per phase,
 * sample grids, loss curves); {@link ExperimentReport} writes the markdown summary from them.
 */
public final class DiffusionExperiment {

    private static final Logger log = LoggerFactory.getLogger(DiffusionExperiment.class);
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final long TRAIN_SEED = 1;
    private static final long EVAL_SEED = 777;

    private final Options options;
    private final Path out;
    private final Path work;
    private final int minObjects;
    private final int maxObjects;

    private DiffusionExperiment(Options options) {
        this.options = options;
        this.out = options.out;
        this.work = options.work;
        String[] objects = options.objects.split("-");
        this.minObjects = Integer.parseInt(objects[0]);
        this.maxObjects = Integer.parseInt(objects[objects.length - 1]);
    }

    /**
     * The options every phase takes (each uses those that concern it), as in docs/diffusion/README.md; a phase
     * shares them so that one command line can be rerun with another phase.
     */
    static final class Options {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Results: JSON per phase, sample grids, loss curves; default ${DEFAULT-VALUE}.")
        Path out = Path.of("docs/diffusion");

        @Option(names = "--work", paramLabel = "DIR",
                description = "Checkpoints and the published store; default ${DEFAULT-VALUE}.")
        Path work = Path.of("/tmp/diffusion-experiment");

        @Option(names = "--objects", paramLabel = "MIN-MAX", description = "Objects per scene; default ${DEFAULT-VALUE}.")
        String objects = "1-4";

        @Option(names = "--train-count", paramLabel = "N", description = "Training scenes; default ${DEFAULT-VALUE}.")
        int trainCount = 20_000;

        @Option(names = "--steps", paramLabel = "N",
                description = "Training steps of long, alt and compare's run (0: the preset's); default ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--alt-steps", paramLabel = "N",
                description = "Training steps of all's alt run (0: the preset's); default ${DEFAULT-VALUE}.")
        int altSteps;

        @Option(names = "--stop-at", paramLabel = "STEP",
                description = "compare: the step both predictions are compared at; default ${DEFAULT-VALUE}.")
        int stopAt = 1500;

        @Option(names = "--prompts", paramLabel = "N", description = "Held-out prompts evaluated; default ${DEFAULT-VALUE}.")
        int prompts = 200;

        @Option(names = "--images", paramLabel = "N", description = "Images per prompt; default ${DEFAULT-VALUE}.")
        int images = 4;

        @Option(names = "--sweep-prompts", paramLabel = "N",
                description = "Prompts of the sweep and of compare; default ${DEFAULT-VALUE}.")
        int sweepPrompts = 100;

        @Option(names = "--sweep-images", paramLabel = "N",
                description = "Images per prompt of the sweep and of compare; default ${DEFAULT-VALUE}.")
        int sweepImages = 2;

        @Option(names = "--guidance", paramLabel = "W", description = "Guidance scale; default ${DEFAULT-VALUE}.")
        float guidance = SamplingOptions.DEFAULT_GUIDANCE;

        @Option(names = "--guidance-values", paramLabel = "W[,W...]",
                description = "Scales the sweep tries; default ${DEFAULT-VALUE}.")
        String guidanceValues = "1.0,1.5,2.0,3.0";

        @Option(names = "--prediction", paramLabel = "V|EPSILON", description = "default: the small model's")
        Prediction prediction;

        @Option(names = "--foreground-weight", paramLabel = "W", description = "default: the small preset's")
        Float foregroundWeight;

        @Option(names = "--text-pretrain", paramLabel = "N", description = "Steps of contrastive text-encoder "
                + "pretraining before diffusion training (0: none); default: the small preset's.")
        Integer textPretrain;

        @Option(names = "--channels", paramLabel = "N", description = "Ablation; default: the small model's")
        Integer channels;

        @Option(names = "--blocks", paramLabel = "N", description = "Ablation; default: the small model's")
        Integer blocks;

        @Option(names = "--attention", paramLabel = "LEVEL[,LEVEL...]",
                description = "UNet levels with a spatial transformer; default: the small model's.")
        String attention = "";

        @Option(names = "--text-width", paramLabel = "N", description = "Ablation; default: the small model's")
        Integer textWidth;

        @Option(names = "--text-layers", paramLabel = "N", description = "Ablation; default: the small model's")
        Integer textLayers;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new Cli());
    }

    /** The experiment's command line: one subcommand per phase. */
    @Command(name = "DiffusionExperiment", mixinStandardHelpOptions = true,
            synopsisSubcommandLabel = "[long|alt|sweep|compare|all]",
            description = "Does the text-to-image model really learn? Trains on ShapesWorld and scores held-out "
                    + "prompts. Without a phase: all, with the defaults.")
    static final class Cli implements Callable<Integer> {

        @Override
        public Integer call() throws IOException {
            return phase("all", new Options());
        }

        @Command(name = "long", mixinStandardHelpOptions = true, sortOptions = false,
                description = "Trains (or resumes) the LONG-caption run, publishes and evaluates it.")
        int longPhase(@Mixin Options options) throws IOException {
            return phase("long", options);
        }

        @Command(name = "alt", mixinStandardHelpOptions = true, sortOptions = false,
                description = "Trains (or resumes) the alt-text run, publishes and evaluates it.")
        int altPhase(@Mixin Options options) throws IOException {
            return phase("alt", options);
        }

        @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
                description = "Guidance sweep on the EMA weights of the LONG run's newest checkpoint.")
        int sweepPhase(@Mixin Options options) throws IOException {
            return phase("sweep", options);
        }

        @Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
                description = "Epsilon against v prediction at equal steps: run long-epsilon up to --stop-at.")
        int comparePhase(@Mixin Options options) throws IOException {
            return phase("compare", options);
        }

        @Command(name = "all", mixinStandardHelpOptions = true, sortOptions = false,
                description = "long, then sweep, then alt (with --alt-steps).")
        int allPhases(@Mixin Options options) throws IOException {
            return phase("all", options);
        }
    }

    private static int phase(String phase, Options options) throws IOException {
        DjlRuntime.start();
        DiffusionExperiment experiment = new DiffusionExperiment(options);
        Files.createDirectories(experiment.out);
        switch (phase) {
            case "long" -> experiment.trainAndEvaluate("long", CaptionMix.LONG_ONLY, options.steps);
            case "alt" -> experiment.trainAndEvaluate("alt", CaptionMix.ALT_ONLY, options.steps);
            case "sweep" -> experiment.sweep("long");
            case "compare" -> experiment.comparePredictions(options.stopAt);
            case "all" -> {
                experiment.trainAndEvaluate("long", CaptionMix.LONG_ONLY, options.steps);
                experiment.sweep("long");
                experiment.trainAndEvaluate("alt", CaptionMix.ALT_ONLY, options.altSteps);
            }
            default -> throw new IllegalStateException("unhandled phase " + phase);
        }
        ExperimentReport.write(experiment.out);
        return 0;
    }

    private List<DiffusionExample> examples() {
        long begin = System.nanoTime();
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(TRAIN_SEED, options.trainCount,
                32, minObjects, maxObjects);
        log.info("{} training scenes ({}-{} objects) rendered in {} ms", examples.size(), minObjects, maxObjects,
                (System.nanoTime() - begin) / 1_000_000);
        return examples;
    }

    private List<ShapesWorldData.EvaluationPrompt> prompts(int count) {
        return ShapesWorldData.evaluationPrompts(EVAL_SEED, count, minObjects, maxObjects);
    }

    /** The {@code small} architecture with any of the ablation options applied (README: Options). */
    private DiffusionConfig architecture() {
        DiffusionConfig small = DiffusionConfig.small();
        return new DiffusionConfig(small.imageSize(), small.patchSize(),
                options.channels != null ? options.channels : small.baseChannels(),
                small.channelMultipliers(), options.blocks != null ? options.blocks : small.residualBlocks(),
                attentionLevels(options.attention, small), small.attentionHeads(),
                options.textWidth != null ? options.textWidth : small.textWidth(),
                options.textLayers != null ? options.textLayers : small.textLayers(),
                small.textHeads(), small.contextLength(), small.diffusionSteps(), small.prediction());
    }

    /** Comma-separated UNet levels ({@code --attention 1,2}), or the model's own when blank. */
    static int[] attentionLevels(String option, DiffusionConfig model) {
        return option.isBlank() ? model.attentionLevels()
                : Arrays.stream(option.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private DiffusionTrainingPreset preset(int steps) {
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small();
        if (options.foregroundWeight != null) {
            preset = preset.withForegroundWeight(options.foregroundWeight);
        }
        preset = preset.withTextPretraining(options.textPretrain != null ? options.textPretrain
                : preset.textPretrainSteps());
        return steps > 0 ? preset.withSteps(steps) : preset;
    }

    /** A training run in progress or done: its trainer (to close) and what this session did. */
    private record Run(DiffusionTrainer trainer, TrainingReport report, double minutes, int scenes) {
    }

    /** Starts run {@code name}, or resumes it from its newest checkpoint, and trains it up to {@code stopAt}. */
    private Run train(String name, CaptionMix mix, Prediction prediction, int steps, int stopAt) throws IOException {
        List<DiffusionExample> examples = examples();
        DiffusionTrainingPreset preset = preset(steps);
        Path runDirectory = work.resolve(name);
        Path checkpoints = runDirectory.resolve("checkpoints");
        List<String> gridPrompts = prompts(8).stream().map(ShapesWorldData.EvaluationPrompt::prompt).toList();
        var latest = DiffusionCheckpoint.latest(checkpoints);
        DiffusionTrainer trainer;
        if (latest.isPresent()) {
            trainer = DiffusionTrainer.resume(latest.get(), preset, mix);
        } else {
            Vocabulary vocabulary = ShapesWorldData.vocabulary(examples);
            DiffusionConfig config = architecture().withPrediction(prediction);
            trainer = DiffusionTrainer.create(config, vocabulary, 1, preset, mix);
        }
        log.info("run {}: {} parameters, {}, preset {}, mix {}", name, trainer.liveModel().parameterCount(),
                trainer.liveModel().getConfig(), preset, mix);
        trainer.checkpointTo(checkpoints, 20)
                .sampleGrids(gridPrompts, runDirectory.resolve("samples"))
                .writeLossCurve(out.resolve("loss-" + name + ".png"));
        long begin = System.nanoTime();
        TrainingReport report = trainer.trainUntil(examples, stopAt);
        double minutes = (System.nanoTime() - begin) / 6e10;
        log.info("run {} trained: {} in {} min", name, report, minutes);
        return new Run(trainer, report, minutes, examples.size());
    }

    /** Trains (or resumes) the run {@code name}, publishes its EMA model and evaluates it. */
    void trainAndEvaluate(String name, CaptionMix mix, int steps) throws IOException {
        Prediction prediction = options.prediction != null ? options.prediction : DiffusionConfig.small().prediction();
        Run run = train(name, mix, prediction, steps, Integer.MAX_VALUE);
        try (DiffusionTrainer trainer = run.trainer()) {
            SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS, options.guidance,
                    options.images, EVAL_SEED);
            PromptEvaluation evaluation = PromptEvaluation.run(name + " (" + mix + ")", trainer.emaModel(),
                    prompts(options.prompts), sampling);
            log.info("run {} evaluated in {} s:\n{}", name, evaluation.seconds(), evaluation.summary().format());
            evaluation.writeSheet(16, out.resolve("samples-" + name + ".png"));

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("run", name);
            json.put("captionMix", mix.toString());
            json.put("parameters", trainer.liveModel().parameterCount());
            json.put("config", trainer.liveModel().getConfig().describe());
            json.put("preset", trainer.preset().describe());
            json.put("trainingScenes", run.scenes());
            json.put("objectsPerScene", minObjects + "-" + maxObjects);
            json.put("stepsDone", trainer.step());
            json.put("trainingMinutesThisSession", Math.round(run.minutes() * 10) / 10.0);
            json.put("stepsPerSecondThisSession", Math.round(run.report().stepsPerSecond() * 100) / 100.0);
            json.put("skippedSteps", run.report().skippedSteps());
            json.put("finalLoss", run.report().finalLoss(0.05));
            json.put("threads", DjlRuntime.start().toString());
            json.put("evaluation", evaluation.toJson());
            Files.writeString(out.resolve("results-" + name + ".json"), GSON.toJson(json), StandardCharsets.UTF_8);
            publish(name, trainer, evaluation, run.scenes());
        }
    }

    /**
     * Epsilon against v prediction at equal cost: trains run {@code long-epsilon} with the same
     * preset (and learning-rate schedule) as run {@code long} up to {@code stopAt} and evaluates
     * the EMA weights of both at that step on the same prompts and noise.
     */
    void comparePredictions(int stopAt) throws IOException {
        Path vCheckpoint = work.resolve("long").resolve("checkpoints")
                .resolve(String.format(java.util.Locale.ROOT, "step-%08d", stopAt));
        if (!Files.isDirectory(vCheckpoint)) {
            throw new IllegalStateException("no checkpoint of run long at step " + stopAt + ": " + vCheckpoint);
        }
        Run epsilon = train("long-epsilon", CaptionMix.LONG_ONLY, Prediction.EPSILON, options.steps, stopAt);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS, options.guidance,
                options.sweepImages, EVAL_SEED);
        List<ShapesWorldData.EvaluationPrompt> prompts = prompts(options.sweepPrompts);
        try (DiffusionTrainer trainer = epsilon.trainer(); DiffusionModel v = DiffusionCheckpoint.loadEma(vCheckpoint)) {
            for (DiffusionModel model : List.of(v, trainer.emaModel())) {
                String label = model.getConfig().prediction() + " @ step " + stopAt;
                PromptEvaluation evaluation = PromptEvaluation.run(label, model, prompts, sampling);
                log.info("{}:\n{}", label, evaluation.summary().format());
                Map<String, Object> row = evaluation.toJson();
                row.put("prediction", model.getConfig().prediction().name());
                rows.add(row);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("step", stopAt);
            json.put("epsilonFinalLoss", epsilon.report().finalLoss(0.05));
            json.put("rows", rows);
            Files.writeString(out.resolve("prediction-comparison.json"), GSON.toJson(json), StandardCharsets.UTF_8);
        }
    }

    private void publish(String name, DiffusionTrainer trainer, PromptEvaluation evaluation, int scenes) {
        ModelStore store = new ModelStore(work.resolve("store"));
        String version = "step-" + trainer.step();
        if (store.exists(ModelRef.textToImage("shapes-" + name, version))) {
            return;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("matcher.overall", evaluation.summary().overall().rate());
        evaluation.summary().categories().forEach((category, rate) ->
                metrics.put("matcher." + category.name().toLowerCase(java.util.Locale.ROOT), rate.rate()));
        ModelManifest manifest = DiffusionPublisher.publish(store, trainer.emaModel(), "shapes-" + name, version,
                trainer, new ModelManifest.Lineage("shapes-world-seed" + TRAIN_SEED + "-" + scenes + "-"
                        + minObjects + "to" + maxObjects + "objects", null, null, null, null), metrics);
        log.info("published {}", manifest.ref());
    }

    /** Guidance sweep on the EMA weights of run {@code name}'s newest checkpoint. */
    void sweep(String name) throws IOException {
        Path checkpoint = DiffusionCheckpoint.latest(work.resolve(name).resolve("checkpoints"))
                .orElseThrow(() -> new IllegalStateException("train run " + name + " first"));
        List<ShapesWorldData.EvaluationPrompt> prompts = prompts(options.sweepPrompts);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (DiffusionModel model = DiffusionCheckpoint.loadEma(checkpoint)) {
            for (String scale : options.guidanceValues.split(",")) {
                SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS, Float.parseFloat(scale),
                        options.sweepImages, EVAL_SEED);
                PromptEvaluation evaluation = PromptEvaluation.run(name + " w=" + scale, model, prompts, sampling);
                log.info("guidance {}: {} s\n{}", scale, evaluation.seconds(), evaluation.summary().format());
                rows.add(evaluation.toJson());
                evaluation.writeSheet(8, out.resolve("sweep-" + name + "-w" + scale + ".png"));
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", name);
        json.put("checkpoint", checkpoint.getFileName().toString());
        json.put("rows", rows);
        Files.writeString(out.resolve("guidance-sweep.json"), GSON.toJson(json), StandardCharsets.UTF_8);
    }
}
