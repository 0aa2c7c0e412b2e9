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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does the text-to-image model really learn? Trains the {@code small} preset on in-memory
 * ShapesWorld scenes (32x32) with ground-truth LONG captions, and again on alt-text only,
 * then samples held-out LONG prompts with DDIM and scores every image with the ShapesWorld
 * matcher; a guidance sweep picks the guidance scale.
 *
 * <p>{@code DiffusionExperiment PHASE [--key value]...}, phases {@code long}, {@code sweep},
 * {@code alt}, {@code compare} (epsilon against v prediction), {@code all}. Training resumes from the newest checkpoint of its run, so a killed
 * run continues. Results go to {@code --out} (JSON per phase, sample grids, loss curves);
 * {@link ExperimentReport} writes the markdown summary from them.
 */
public final class DiffusionExperiment {

    private static final Logger log = LoggerFactory.getLogger(DiffusionExperiment.class);
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    private static final long TRAIN_SEED = 1;
    private static final long EVAL_SEED = 777;

    private final Map<String, String> options;
    private final Path out;
    private final Path work;
    private final int minObjects;
    private final int maxObjects;

    private DiffusionExperiment(Map<String, String> options) {
        this.options = options;
        this.out = Path.of(option("out", "docs/diffusion"));
        this.work = Path.of(option("work", "/tmp/diffusion-experiment"));
        String[] objects = option("objects", "1-4").split("-");
        this.minObjects = Integer.parseInt(objects[0]);
        this.maxObjects = Integer.parseInt(objects[objects.length - 1]);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String phase = args.length > 0 ? args[0] : "all";
        DjlRuntime.start();
        DiffusionExperiment experiment = new DiffusionExperiment(options);
        Files.createDirectories(experiment.out);
        switch (phase) {
            case "long" -> experiment.trainAndEvaluate("long", CaptionMix.LONG_ONLY, experiment.intOption("steps", 0));
            case "alt" -> experiment.trainAndEvaluate("alt", CaptionMix.ALT_ONLY, experiment.intOption("steps", 0));
            case "sweep" -> experiment.sweep("long");
            case "compare" -> experiment.comparePredictions(experiment.intOption("stop-at", 1500));
            case "all" -> {
                experiment.trainAndEvaluate("long", CaptionMix.LONG_ONLY, experiment.intOption("steps", 0));
                experiment.sweep("long");
                experiment.trainAndEvaluate("alt", CaptionMix.ALT_ONLY, experiment.intOption("alt-steps", 0));
            }
            default -> throw new IllegalArgumentException("unknown phase " + phase + "; use long, alt, sweep, compare or all");
        }
        ExperimentReport.write(experiment.out);
    }

    private String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private int intOption(String key, int fallback) {
        return Integer.parseInt(option(key, String.valueOf(fallback)));
    }

    private List<DiffusionExample> examples() {
        long begin = System.nanoTime();
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(TRAIN_SEED, intOption("train-count", 20_000),
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
        return new DiffusionConfig(small.imageSize(), small.patchSize(), intOption("channels", small.baseChannels()),
                small.channelMultipliers(), intOption("blocks", small.residualBlocks()),
                attentionLevels(option("attention", ""), small), small.attentionHeads(),
                intOption("text-width", small.textWidth()), intOption("text-layers", small.textLayers()),
                small.textHeads(), small.contextLength(), small.diffusionSteps(), small.prediction());
    }

    /** Comma-separated UNet levels ({@code --attention 1,2}), or the model's own when blank. */
    static int[] attentionLevels(String option, DiffusionConfig model) {
        return option.isBlank() ? model.attentionLevels()
                : Arrays.stream(option.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private DiffusionTrainingPreset preset(int steps) {
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small();
        if (options.containsKey("foreground-weight")) {
            preset = preset.withForegroundWeight(Float.parseFloat(option("foreground-weight", "1")));
        }
        preset = preset.withTextPretraining(intOption("text-pretrain", preset.textPretrainSteps()));
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
        Prediction prediction = Prediction.valueOf(option("prediction", DiffusionConfig.small().prediction().name()));
        Run run = train(name, mix, prediction, steps, Integer.MAX_VALUE);
        try (DiffusionTrainer trainer = run.trainer()) {
            float guidance = Float.parseFloat(option("guidance", String.valueOf(SamplingOptions.DEFAULT_GUIDANCE)));
            SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS, guidance,
                    intOption("images", 4), EVAL_SEED);
            PromptEvaluation evaluation = PromptEvaluation.run(name + " (" + mix + ")", trainer.emaModel(),
                    prompts(intOption("prompts", 200)), sampling);
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
        Run epsilon = train("long-epsilon", CaptionMix.LONG_ONLY, Prediction.EPSILON, intOption("steps", 0), stopAt);
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS,
                Float.parseFloat(option("guidance", String.valueOf(SamplingOptions.DEFAULT_GUIDANCE))),
                intOption("sweep-images", 2), EVAL_SEED);
        List<ShapesWorldData.EvaluationPrompt> prompts = prompts(intOption("sweep-prompts", 100));
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
        List<ShapesWorldData.EvaluationPrompt> prompts = prompts(intOption("sweep-prompts", 100));
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        try (DiffusionModel model = DiffusionCheckpoint.loadEma(checkpoint)) {
            for (String scale : option("guidance-values", "1.0,1.5,2.0,3.0").split(",")) {
                SamplingOptions sampling = new SamplingOptions(SamplingOptions.DEFAULT_STEPS, Float.parseFloat(scale),
                        intOption("sweep-images", 2), EVAL_SEED);
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
