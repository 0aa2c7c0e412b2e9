package io.recap.orchestrator.diffusion;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.store.AllowedRoots;
import io.recap.ml.diffusion.TorchScriptPipelineTrainer;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.orchestrator.jobs.T2iFinetuneSpec;
import io.recap.orchestrator.task.Checkpoint;
import io.recap.orchestrator.task.CheckpointedFineTune;
import io.recap.orchestrator.task.ModelVersions;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * T2I_FINETUNE from an imported Stable-Diffusion-shaped pipeline: its text encoder and UNet fine-tuned through DJL
 * on the snapshot's images (encoded by its frozen VAE) under captions drawn by the spec's caption mix, with prompt
 * dropout; a checkpoint every {@code params.checkpointEvery} steps that a retry resumes from, step count and batches
 * included; published as a TorchScript version with the corpus, captioner, mix and base as lineage.
 */
final class ImportedPipelineFinetune {

    /** Stable Diffusion's own fine-tuning rate scale; a tiny model needs more (params.learningRate). */
    static final double DEFAULT_LEARNING_RATE = 1e-5;
    /** The RECAP paper's prompt dropout. */
    static final double DEFAULT_PROMPT_DROPOUT = 0.14;

    private ImportedPipelineFinetune() {
    }

    /** Called by {@link T2iFinetuneTask} once it knows the job has not published yet. */
    static void run(T2iFinetuneSpec spec, String snapshotKey, List<Path> roots, String modelName, TaskParams params,
            TaskContext context) throws IOException {
        ModelRef base = spec.baseModel();
        Path baseFolder = context.models().directory(base);
        TorchScriptConfig config = TorchScriptConfig.read(baseFolder);
        int imageSize = config.latent().size() * config.latent().downsample();
        SnapshotDataset dataset = SnapshotDataset.read(context.store(), snapshotKey, new AllowedRoots(roots),
                spec.captionMix(), imageSize, context::log);
        if (dataset.examples().isEmpty()) {
            throw new IllegalStateException("the dataset snapshot has no trainable image; were its images relabelled by "
                    + spec.captioner() + "?");
        }
        int steps = params.intValue("steps", 1000, 1, 10_000_000);
        TorchScriptFineTune.Settings settings = new TorchScriptFineTune.Settings(steps,
                (float) params.doubleValue("learningRate", DEFAULT_LEARNING_RATE, 1e-8, 1),
                params.intValue("warmupSteps", Math.min(100, steps / 10), 0, 10_000_000),
                params.intValue("batchSize", 8, 1, 4096), (float) params.doubleValue("maxGradientNorm", 1, 1e-6, 1e6),
                params.longValue("seed", 1));
        float promptDropout = (float) params.doubleValue("promptDropout", DEFAULT_PROMPT_DROPOUT, 0, 0.99);
        int checkpointEvery = params.intValue("checkpointEvery", Math.max(1, steps / 4), 1, 10_000_000);

        Optional<Checkpoint> last = CheckpointedFineTune.resumable(context);
        if (last.isEmpty()) {
            context.log(String.format(Locale.ROOT, "fine-tuning imported %s on %d images, mix %s, for %d steps of %d, "
                    + "lr %.2g, prompt dropout %.2f", base, dataset.examples().size(), spec.captionMix(), steps,
                    settings.batchSize(), settings.learningRate(), promptDropout));
        }
        Path finalCheckpoint;
        try (TorchScriptPipelineTrainer trainer = last.isPresent()
                ? TorchScriptPipelineTrainer.resume(last.get().path(), promptDropout)
                : TorchScriptPipelineTrainer.start(baseFolder, settings, promptDropout)) {
            finalCheckpoint = CheckpointedFineTune.train(context, trainer, steps, checkpointEvery, last,
                    (stop, onStep) -> trainer.trainUntil(dataset.examples(), spec.captionMix(), stop, onStep));
        }
        List<Float> losses = TorchScriptFineTune.losses(finalCheckpoint);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train.final_loss", (double) losses.get(losses.size() - 1));
        ModelManifest baseManifest = context.models().manifest(base);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("fineTune", settings);
        hyper.put("promptDropout", promptDropout);
        hyper.put("dataset.snapshot", snapshotKey.substring(snapshotKey.lastIndexOf('/') + 1));
        hyper.put("dataset.images", dataset.examples().size());
        hyper.put("torchscript", baseManifest.hyperParameters().get("torchscript"));
        hyper.put(ModelVersions.JOB_ID, context.jobId());
        String version = ModelVersions.next(context.models(), ModelKind.TEXT_TO_IMAGE, modelName);
        ModelManifest manifest = new ModelManifest(ModelKind.TEXT_TO_IMAGE, modelName, version,
                baseManifest.architecture(), hyper, new ModelManifest.Lineage(spec.corpusId(), spec.captioner(),
                        spec.captionMix(), base, null), metrics, Instant.now(), Map.of(),
                ModelManifest.FORMAT_TORCHSCRIPT);
        CheckpointedFineTune.publish(context, manifest, finalCheckpoint);
        context.progress(steps, steps, null);
        context.metrics((long) steps, metrics);
        context.log("published " + manifest.ref() + " fine-tuned from imported " + base + " with mix " + spec.captionMix());
    }
}
