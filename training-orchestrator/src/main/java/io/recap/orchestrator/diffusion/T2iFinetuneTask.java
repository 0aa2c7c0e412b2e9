package io.recap.orchestrator.diffusion;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import io.recap.core.store.AllowedRoots;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionPublisher;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SampleSheet;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.training.TrainingReport;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.task.Checkpoint;
import io.recap.orchestrator.task.ModelVersions;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * T2I_FINETUNE: trains recap-ml's text-to-image model (text encoder and UNet together) on the job's dataset
 * snapshot — the corpus's images with the captions of the spec's captioner version — drawing each sample's caption
 * style by the spec's caption mix, then publishes the EMA weights as {@code text-to-image/{name}/vN} with lineage
 * (corpus, captioner, mix, parent model, snapshot).
 *
 * <p>Architecture and training preset come from {@code spec.preset} ({@link DiffusionConfig#byName},
 * {@link DiffusionTrainingPreset#byName}); params override: {@code steps}, {@code batchSize},
 * {@code checkpointEvery}, {@code reportEvery}, {@code sampleEvery}, {@code keepCheckpoints}, {@code seed},
 * {@code modelName} (default {@code t2i-<corpusId>}), {@code samplePrompts} (prompts in the final sample grid, 4),
 * {@code textPretrainSteps} (contrastive text-encoder steps before step 1 of a model trained from scratch),
 * {@code learningRate}, {@code finalLearningRate}, {@code warmupSteps} (the Adam schedule) and {@code emaDecay}
 * (a fine-tune of a few hundred steps from a pretrained base needs a shorter EMA horizon than the preset's),
 * {@code foregroundWeight} (the loss weight of pixels off the image's background, at least 1: see recap-ml's
 * {@code DiffusionTrainingPreset}) and {@code finalForegroundWeight} (the weight at the last step, reached along a
 * half cosine; default: the same, a constant weight), and
 * {@code vocabularyFrom} (a model ref whose word vocabulary a model trained from scratch uses instead of the
 * snapshot's words: pretraining on alt-text alone would otherwise leave every word only the new captions use
 * {@code <unk>}, as a tokenizer trained on alt-text would).
 * The vocabulary is built from the captions trained on (as recap-experiments' {@code DiffusionExperiment} does) and saved
 * with the model. With {@code spec.baseModel} training starts from that published model's weights, architecture and
 * vocabulary (a warm start; words the base never saw become {@code <unk>}).
 *
 * <p>Resume: checkpoints (live and EMA weights, Adam moments, random stream, losses) go to the job's checkpoint
 * directory every {@code checkpointEvery} steps and at the end; an attempt that finds a recorded checkpoint continues
 * from its step with the same batch sequence, up to the same total.
 */
public final class T2iFinetuneTask implements TrainingTask {

    /** Where the loss curve and the final sample grid go, inside the job's checkpoint directory. */
    static final String LOSS_CURVE = "loss-curve.png";
    static final String SAMPLE_GRID = "samples-final.png";

    private final List<Path> imageRoots;

    /**
     * @param imageRoots directories training images may be read from (the ingest roots); the store, which holds
     *        images that arrived inline, is always allowed too
     */
    public T2iFinetuneTask(List<Path> imageRoots) {
        this.imageRoots = List.copyOf(imageRoots);
    }

    @Override
    public JobKind kind() {
        return JobKind.T2I_FINETUNE;
    }

    /** The job's settings, validated before any work starts. */
    private record Settings(DiffusionConfig config, DiffusionTrainingPreset preset, int keepCheckpoints,
            String modelName, int samplePrompts) {
    }

    static Settings settings(T2iFinetuneSpec spec, TaskParams params) {
        DiffusionTrainingPreset base = DiffusionTrainingPreset.byName(spec.preset());
        int steps = params.intValue("steps", base.steps(), 1, 10_000_000);
        DiffusionTrainingPreset preset = base.withSteps(steps)
                .withBatchSize(params.intValue("batchSize", base.batchSize(), 1, 4096))
                .withSeed(params.longValue("seed", base.seed()))
                .withTextPretraining(params.intValue("textPretrainSteps", base.textPretrainSteps(), 0, 10_000_000));
        float peak = (float) params.doubleValue("learningRate", preset.learningRate(), 1e-8, 1);
        preset = preset.withLearningRate(peak,
                (float) params.doubleValue("finalLearningRate", Math.min(preset.finalLearningRate(), peak), 0, peak),
                params.intValue("warmupSteps", preset.warmupSteps(), 0, 10_000_000))
                .withEmaDecay((float) params.doubleValue("emaDecay", preset.emaDecay(), 0, 0.999999));
        float foreground = (float) params.doubleValue("foregroundWeight", preset.foregroundWeight(), 1, 1000);
        preset = preset.withForegroundWeight(foreground,
                (float) params.doubleValue("finalForegroundWeight", foreground, 1, 1000));
        // Progress reports are also where cancellation is noticed: at most 10 steps apart by default.
        preset = preset.withSchedule(
                params.intValue("reportEvery", Math.max(1, Math.min(base.reportEvery(), 10)), 1, 1_000_000),
                params.intValue("sampleEvery", base.sampleEvery(), 0, 10_000_000),
                params.intValue("checkpointEvery", base.checkpointEvery(), 0, 10_000_000));
        int keep = params.intValue("keepCheckpoints", 2, 1, 1000);
        String name = params.text("modelName", "t2i-" + spec.corpusId());
        try {
            Require.safeId(name, "params.modelName");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params.modelName must be a safe id but was '" + name + "'", e);
        }
        int samples = params.intValue("samplePrompts", 4, 0, 64);
        return new Settings(DiffusionConfig.byName(spec.preset()), preset, keep, name, samples);
    }

    @Override
    public void run(JobSpec jobSpec, TaskContext context) throws Exception {
        T2iFinetuneSpec spec = (T2iFinetuneSpec) jobSpec;
        Settings settings = settings(spec, new TaskParams(context.params()));
        String snapshotKey = context.snapshotKey().orElseThrow(() -> new IllegalStateException(
                "T2I_FINETUNE job " + context.jobId() + " has no dataset snapshot"));
        String snapshotId = snapshotKey.substring(snapshotKey.lastIndexOf('/') + 1);

        if (ModelVersions.alreadyPublished(context, ModelKind.TEXT_TO_IMAGE, settings.modelName())) {
            return;
        }

        context.throwIfCancelled();
        DjlRuntime.prepareCurrentThread();
        List<Path> roots = new ArrayList<>(imageRoots);
        roots.add(context.store().root());
        if (spec.baseModel() != null && context.models().manifest(spec.baseModel()).isTorchScript()) {
            ImportedPipelineFinetune.run(spec, snapshotKey, roots, settings.modelName(), new TaskParams(context.params()),
                    context);
            return;
        }
        Optional<Checkpoint> resumeFrom = context.lastCheckpoint();
        DiffusionConfig config = settings.config();
        ModelRef parent = spec.baseModel();
        if (resumeFrom.isEmpty() && parent != null) {
            config = baseConfig(context, parent);
        } else if (resumeFrom.isPresent()) {
            config = savedConfig(resumeFrom.get().path());
        }
        SnapshotDataset dataset = SnapshotDataset.read(context.store(), snapshotKey, new AllowedRoots(roots),
                spec.captionMix(), config.imageSize(), context::log);
        context.log(String.format(Locale.ROOT, "dataset snapshot %s: %d of %d images usable%s", snapshotId,
                dataset.examples().size(), dataset.manifest().imageCount(),
                dataset.skipped().isEmpty() ? "" : ", skipped " + dataset.skipped()));
        if (dataset.examples().isEmpty()) {
            throw new IllegalStateException("dataset snapshot " + snapshotId + " of corpus " + spec.corpusId()
                    + " has no trainable image (" + dataset.manifest().imageCount() + " images, skipped "
                    + dataset.skipped() + "); were its images relabelled by " + spec.captioner() + "?");
        }
        context.throwIfCancelled();

        DiffusionModel base = null;
        DiffusionTrainer trainer;
        if (resumeFrom.isPresent()) {
            Checkpoint checkpoint = resumeFrom.get();
            trainer = DiffusionTrainer.resume(checkpoint.path(), settings.preset(), spec.captionMix());
            context.log("resumed from checkpoint at step " + trainer.step() + " of " + settings.preset().steps()
                    + " (" + checkpoint.storeKey() + ", attempt " + context.attempt() + ")");
        } else if (parent != null) {
            base = DiffusionModel.load(context.models().directory(parent));
            trainer = DiffusionTrainer.start(base, settings.preset(), spec.captionMix());
            context.log("warm start from " + parent + " (its architecture and vocabulary of "
                    + base.getVocabulary().size() + " tokens)");
        } else {
            var vocabulary = vocabulary(context, dataset.examples());
            trainer = DiffusionTrainer.create(config, vocabulary, settings.preset().seed(), settings.preset(),
                    spec.captionMix());
            context.log("starting T2I_FINETUNE from scratch: " + settings.preset().steps() + " steps of "
                    + settings.preset().batchSize() + " at " + config.imageSize() + "x" + config.imageSize()
                    + ", vocabulary of " + vocabulary.size() + " tokens from " + context.params().getOrDefault(
                            "vocabularyFrom", "the snapshot's captions"));
        }
        try (DiffusionModel ownedBase = base; DiffusionTrainer training = trainer) {
            train(spec, settings, snapshotId, dataset, training, context);
        }
    }

    private void train(T2iFinetuneSpec spec, Settings settings, String snapshotId, SnapshotDataset dataset,
            DiffusionTrainer trainer, TaskContext context) throws Exception {
        DiffusionTrainingPreset preset = settings.preset();
        long total = preset.steps();
        int firstStep = trainer.step();
        context.log(String.format(Locale.ROOT, "training %,d parameters, mix %s, preset %s", trainer.liveModel()
                .parameterCount(), spec.captionMix(), preset.describe()));
        Path checkpoints = context.checkpointDirectory();
        trainer.checkpointTo(checkpoints, settings.keepCheckpoints())
                .onCheckpoint(path -> {
                    context.checkpoint(trainer.step(), path);
                    context.throwIfCancelled();
                })
                .onProgress(progress -> {
                    context.progress(trainer.step(), total, finite(progress.loss()));
                    context.throwIfCancelled();
                })
                .onTextPretrainingProgress(progress -> {
                    // Before step 1 of a fresh model: minutes at the small preset, so log and honour cancels.
                    context.log("text encoder pretraining (contrastive): " + progress);
                    context.throwIfCancelled();
                })
                .writeLossCurve(checkpoints.resolve(LOSS_CURVE));
        List<String> prompts = prompts(dataset.examples(), Math.max(settings.samplePrompts(), 1));
        if (preset.sampleEvery() > 0) {
            trainer.sampleGrids(prompts, checkpoints);
        }
        context.progress(firstStep, total, null);
        TrainingReport report = trainer.train(dataset.examples());
        context.throwIfCancelled();
        context.log("trained steps " + firstStep + ".." + trainer.step() + ": " + report);

        if (settings.samplePrompts() > 0) {
            writeSampleGrid(trainer, prompts.subList(0, Math.min(prompts.size(), settings.samplePrompts())),
                    checkpoints.resolve(SAMPLE_GRID), preset.seed());
        }
        Map<String, Double> metrics = metrics(trainer, report, dataset);
        ModelRef published = publish(spec, settings, snapshotId, dataset, trainer, metrics, context);
        context.metrics(trainer.step() == 0 ? null : (long) trainer.step(), metrics);
        context.log("published " + published + " (lineage: corpus " + spec.corpusId() + ", captioner "
                + spec.captioner() + ", mix " + spec.captionMix() + (spec.baseModel() == null ? ""
                : ", parent " + spec.baseModel()) + ", snapshot " + snapshotId + ")");
    }

    private static Map<String, Double> metrics(DiffusionTrainer trainer, TrainingReport report,
            SnapshotDataset dataset) {
        TrainingReport whole = new TrainingReport(trainer.step(), 0, trainer.losses(), Duration.ZERO);
        Map<String, Double> metrics = new LinkedHashMap<>();
        putFinite(metrics, "training.final_loss", whole.finalLoss(0.05));
        putFinite(metrics, "training.initial_loss", whole.initialLoss(0.05));
        metrics.put("training.steps", (double) trainer.step());
        metrics.put("training.steps_this_attempt", (double) report.steps());
        metrics.put("training.skipped_steps_this_attempt", (double) report.skippedSteps());
        putFinite(metrics, "training.steps_per_second", report.stepsPerSecond());
        metrics.put("dataset.images", (double) dataset.examples().size());
        metrics.put("dataset.skipped", (double) dataset.skippedTotal());
        return metrics;
    }

    /**
     * As {@link DiffusionPublisher#publish}, plus what only the orchestrator knows: the dataset snapshot and the job
     * (DiffusionPublisher takes no extra hyper-parameters, and a published version cannot be amended).
     */
    private static ModelRef publish(T2iFinetuneSpec spec, Settings settings, String snapshotId,
            SnapshotDataset dataset, DiffusionTrainer trainer, Map<String, Double> metrics, TaskContext context) {
        DiffusionModel model = trainer.emaModel();
        Map<String, Object> hyper = new LinkedHashMap<>();
        model.getConfig().describe().forEach((key, value) -> hyper.put("model." + key, value));
        trainer.preset().describe().forEach((key, value) -> hyper.put("training." + key, value));
        hyper.put("training.stepsDone", trainer.step());
        hyper.put("sampling.defaultSteps", SamplingOptions.DEFAULT_STEPS);
        hyper.put("sampling.defaultGuidance", SamplingOptions.DEFAULT_GUIDANCE);
        hyper.put("sampling.sampler", "ddim, eta 0, classifier-free guidance in one 2B batch");
        hyper.put("parameters", model.parameterCount());
        hyper.put("vocabularySize", model.getVocabulary().size());
        hyper.put("dataset.snapshot", snapshotId);
        hyper.put("dataset.images", dataset.examples().size());
        hyper.put(ModelVersions.JOB_ID, context.jobId());
        String version = ModelVersions.next(context.models(), ModelKind.TEXT_TO_IMAGE, settings.modelName());
        ModelManifest manifest = new ModelManifest(ModelKind.TEXT_TO_IMAGE, settings.modelName(), version,
                DiffusionPublisher.architecture(model), hyper,
                new ModelManifest.Lineage(spec.corpusId(), spec.captioner(), trainer.captionMix(), spec.baseModel(),
                        null),
                metrics, Instant.now());
        context.models().publish(manifest, model::save);
        return manifest.ref();
    }

    /** Distinct captions of the first examples, LONG preferred: the prompts of the sample grid. */
    private static List<String> prompts(List<DiffusionExample> examples, int count) {
        Set<String> prompts = new LinkedHashSet<>();
        for (DiffusionExample example : examples) {
            prompts.add(example.caption(io.recap.core.domain.CaptionStyle.LONG));
            if (prompts.size() == count) {
                break;
            }
        }
        return List.copyOf(prompts);
    }

    private static void writeSampleGrid(DiffusionTrainer trainer, List<String> prompts, Path png, long seed)
            throws java.io.IOException {
        int perPrompt = 4;
        List<BufferedImage> images = trainer.emaModel().sample(prompts,
                new SamplingOptions(SamplingOptions.DEFAULT_STEPS, SamplingOptions.DEFAULT_GUIDANCE, perPrompt, seed));
        SampleSheet.write(prompts, images, perPrompt, null, "step " + trainer.step(), png);
    }

    /** The word vocabulary of a model trained from scratch: {@code params.vocabularyFrom}'s, else the snapshot's. */
    private static Vocabulary vocabulary(TaskContext context, List<DiffusionExample> examples)
            throws java.io.IOException {
        String from = context.params().get("vocabularyFrom");
        if (from == null || from.isBlank()) {
            return ShapesWorldData.vocabulary(examples);
        }
        ModelRef ref;
        try {
            ref = ModelRef.parse(from);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params.vocabularyFrom must be a model ref (kind/name/version) but was '"
                    + from + "'", e);
        }
        if (!context.models().exists(ref)) {
            throw new IllegalArgumentException("params.vocabularyFrom " + ref + " is not in the model store");
        }
        return Vocabulary.load(context.models().directory(ref).resolve(Vocabulary.FILE_NAME));
    }

    private static DiffusionConfig baseConfig(TaskContext context, ModelRef parent) throws java.io.IOException {
        if (!context.models().exists(parent)) {
            throw new IllegalArgumentException("spec.baseModel " + parent + " is not in the model store");
        }
        return savedConfig(context.models().directory(parent));
    }

    /** The architecture saved beside a model's (or checkpoint's) parameters, read before the weights are. */
    private static DiffusionConfig savedConfig(Path directory) throws java.io.IOException {
        String json = java.nio.file.Files.readString(directory.resolve(DiffusionModel.CONFIG_FILE),
                java.nio.charset.StandardCharsets.UTF_8);
        return new com.google.gson.Gson().fromJson(json, DiffusionConfig.class);
    }

    private static Double finite(float value) {
        return Float.isFinite(value) ? (double) value : null;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }
}
