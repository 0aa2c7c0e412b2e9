package io.recap.ml.captioner;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.GuardedStep;
import io.recap.ml.training.LossCurvePlot;
import io.recap.ml.training.ManagerSnapshot;
import io.recap.ml.training.MaskedSoftmaxCrossEntropy;
import io.recap.ml.training.ProgressMeter;
import io.recap.ml.training.ResumableAdam;
import io.recap.ml.training.StepOutcome;
import io.recap.ml.training.TrainingProgress;
import io.recap.ml.training.TrainingReport;
import io.recap.ml.training.WarmupCosineSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Teacher-forced captioner training: Adam with warm-up and cosine decay, global-norm gradient
 * clipping, non-finite gradients skipped, each step in its own NDScope. The same trainer
 * pretrains (e.g. terse captions) and fine-tunes (e.g. SHORT/LONG human captions) a model,
 * according to the preset and the batch source.
 */
public final class CaptionerTrainer {

    private final CaptionerModel captioner;
    private final CaptionerTrainingPreset preset;
    private Consumer<TrainingProgress> listener = progress -> { };
    private Path lossCurve;
    private List<String> frozenParts = List.of();

    public CaptionerTrainer(CaptionerModel captioner, CaptionerTrainingPreset preset) {
        this.captioner = captioner;
        this.preset = preset;
    }

    /** Receives a progress report every {@code preset.reportEvery()} steps and at the end. */
    public CaptionerTrainer onProgress(Consumer<TrainingProgress> progressListener) {
        this.listener = progressListener;
        return this;
    }

    /** Writes the loss curve to this PNG when training ends. */
    public CaptionerTrainer writeLossCurve(Path png) {
        this.lossCurve = png;
        return this;
    }

    /**
     * Leaves the parameters whose path contains one of {@code parts} (e.g. {@code imageEncoder})
     * untouched by this training; they are unfrozen again when it ends.
     */
    public CaptionerTrainer freeze(List<String> parts) {
        this.frozenParts = List.copyOf(parts);
        return this;
    }

    /** Runs {@code preset.steps()} steps on batches from {@code source}. */
    public TrainingReport train(CaptionBatchSource source) {
        DjlRuntime.prepareCurrentThread();
        Engine.getInstance().setRandomSeed(preset.seed());
        captioner.getBlock().setDropout(preset.dropout());
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(
                preset.learningRate(), preset.finalLearningRate(), preset.warmupSteps(), preset.steps());
        // DJL's Adam update, all parameters in one multi-tensor call (GuardedStep).
        ResumableAdam adam = new ResumableAdam(captioner.getBlock().getParameters(), schedule);
        DefaultTrainingConfig config = new DefaultTrainingConfig(new MaskedSoftmaxCrossEntropy(Vocabulary.PAD_ID))
                .optOptimizer(adam)
                // One device: the model's own (a GPU when DJL found one).
                .optDevices(new Device[] {captioner.getModel().getNDManager().getDevice()});
        ProgressMeter meter = new ProgressMeter("captioner/" + preset.name(), preset.steps(),
                preset.reportEvery(), listener);
        long begin = System.nanoTime();
        // Closes, after the trainer, what DJL's trainer leaves in the model's manager.
        try (ManagerSnapshot snapshot = new ManagerSnapshot(captioner.getModel().getNDManager());
                Trainer trainer = captioner.getModel().newTrainer(config)) {
            // After newTrainer: DJL unfreezes every parameter of a loaded model when it makes a trainer.
            captioner.getBlock().setFrozen(frozenParts, true);
            GuardedStep step = new GuardedStep(trainer, preset.maxGradientNorm(), adam);
            int imageSize = captioner.getConfig().imageSize();
            for (int s = 1; s <= preset.steps(); s++) {
                List<CaptionExample> examples = source.nextBatch(preset.batchSize());
                StepOutcome outcome = step.run(() -> {
                    TeacherForcingBatch batch = TeacherForcingBatch.of(
                            trainer.getManager(), examples, captioner.getTokenizer(), imageSize);
                    NDArray logits = trainer.forward(new NDList(batch.images(), batch.inputs())).singletonOrThrow();
                    return trainer.getLoss().evaluate(new NDList(batch.targets()), new NDList(logits));
                });
                meter.record(outcome, schedule.getNewValue(s));
            }
        } finally {
            captioner.getBlock().setFrozen(frozenParts, false);
        }
        TrainingReport report = new TrainingReport(preset.steps(), meter.skippedSteps(), meter.losses(),
                Duration.ofNanos(System.nanoTime() - begin));
        if (lossCurve != null) {
            try {
                LossCurvePlot.write(report.losses(), "captioner " + preset.name() + ": " + report, lossCurve);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write loss curve " + lossCurve, e);
            }
        }
        return report;
    }
}
