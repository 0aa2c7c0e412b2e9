package io.recap.orchestrator.captioner;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.CaptionExample;
import io.recap.ml.captioner.TorchScriptCaptioner;
import io.recap.ml.captioner.TorchScriptCaptionerTrainer;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.orchestrator.task.Checkpoint;
import io.recap.orchestrator.task.CheckpointedFineTune;
import io.recap.orchestrator.task.ModelVersions;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import io.recap.shapesml.captioner.eval.QualityRow;
import io.recap.shapesml.captioner.pipeline.CaptionerPipeline;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CAPTIONER_FINETUNE from an imported TorchScript captioner (a BLIP exported by export_blip.py): the graphs are
 * fine-tuned through DJL on the human set's SHORT and LONG captions, each style behind its own prompt, checkpointed
 * every {@code params.checkpointEvery} steps (a retry resumes from the last checkpoint, step count and batches
 * included), evaluated on the held-out scenes like the platform's own captioner, and published in the same
 * TorchScript format with the base as parent.
 */
final class ImportedCaptionerFinetune {

    /** Imported captioners are large pretrained networks: a small step, as BLIP is fine-tuned. */
    static final double DEFAULT_LEARNING_RATE = 2e-5;

    private ImportedCaptionerFinetune() {
    }

    static void run(ModelRef base, CaptionerPipeline pipeline, CaptionerPipelinePreset preset, int seed,
            String modelName, TaskParams params, TaskContext context) throws IOException {
        if (ModelVersions.alreadyPublished(context, ModelKind.CAPTIONER, modelName)) {
            return;
        }
        int steps = preset.fineTuning().steps();
        TorchScriptFineTune.Settings settings = new TorchScriptFineTune.Settings(steps,
                (float) params.doubleValue("learningRate", DEFAULT_LEARNING_RATE, 1e-8, 1),
                Math.min(preset.fineTuning().warmupSteps(), steps / 10), preset.fineTuning().batchSize(),
                preset.fineTuning().maxGradientNorm(), seed);
        int checkpointEvery = params.intValue("checkpointEvery", Math.max(1, steps / 4), 1, 10_000_000);
        List<CaptionExample> examples = pipeline.corpus().fineTuning(seed, false).examples();

        Optional<Checkpoint> last = CheckpointedFineTune.resumable(context);
        if (last.isEmpty()) {
            context.log(String.format(Locale.ROOT, "fine-tuning imported %s on %d human captions (%d images, SHORT and "
                    + "LONG) for %d steps of %d, lr %.2g", base, examples.size(), examples.size() / 2, steps,
                    settings.batchSize(), settings.learningRate()));
        }
        Path finalCheckpoint;
        try (TorchScriptCaptionerTrainer trainer = last.isPresent()
                ? TorchScriptCaptionerTrainer.resume(last.get().path())
                : TorchScriptCaptionerTrainer.start(context.models().directory(base), settings)) {
            finalCheckpoint = CheckpointedFineTune.train(context, trainer, steps, checkpointEvery, last,
                    (stop, onStep) -> trainer.trainUntil(examples, stop, onStep));
        }
        ModelRef ref = ModelRef.captioner(modelName, pipeline.versionFor(modelName));
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (TorchScriptCaptioner tuned = TorchScriptCaptioner.load(finalCheckpoint)) {
            for (QualityRow row : pipeline.evaluateFineTuned(tuned, ref)) {
                metrics.putAll(row.metrics());
            }
        }
        List<Float> losses = TorchScriptFineTune.losses(finalCheckpoint);
        metrics.put("train.final_loss", (double) losses.get(losses.size() - 1));
        ModelManifest baseManifest = context.models().manifest(base);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("fineTune", settings);
        hyper.put("humanCaptions", examples.size());
        hyper.put("torchscript", baseManifest.hyperParameters().get("torchscript"));
        hyper.put(ModelVersions.JOB_ID, context.jobId());
        ModelManifest manifest = new ModelManifest(ModelKind.CAPTIONER, ref.name(), ref.version(),
                baseManifest.architecture(), hyper, new ModelManifest.Lineage(pipeline.corpus().id(), null, null, base,
                        pipeline.corpus().humanSetId()), metrics, java.time.Instant.now(), Map.of(),
                ModelManifest.FORMAT_TORCHSCRIPT);
        CheckpointedFineTune.publish(context, manifest, finalCheckpoint);
        context.progress(steps, steps, null);
        context.metrics((long) steps, metrics);
        context.log(String.format(Locale.ROOT, "published %s fine-tuned from imported %s; eval SHORT recall %.3f, "
                + "LONG recall %.3f", ref, base, metrics.getOrDefault("eval.short.recall", Double.NaN),
                metrics.getOrDefault("eval.long.recall", Double.NaN)));
    }
}
