package io.recap.ml.evaluation;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.GuardedStep;
import io.recap.ml.training.ProgressMeter;
import io.recap.ml.training.ResumableAdam;
import io.recap.ml.training.StepOutcome;
import io.recap.ml.training.TrainingProgress;
import io.recap.ml.training.TrainingReport;
import io.recap.ml.training.WarmupCosineSchedule;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The optimisation loop both evaluators train with, the recipe of the diffusion model's contrastive
 * text-encoder pretraining: Adam with a warm-up and cosine decay to a tenth of the peak rate, every
 * step guarded (scoped memory, clipped gradients, non-finite updates skipped) and metered.
 */
final class EvaluatorTraining {

    /** Draws the next batch, builds its inputs in the trainer's manager and returns its loss. */
    @FunctionalInterface
    interface BatchLoss {
        NDArray next(Trainer trainer);
    }

    private EvaluatorTraining() {
    }

    /** Trains {@code model}'s initialised block for {@code steps} steps. */
    static TrainingReport run(Model model, Loss loss, String name, int steps, float learningRate,
            Consumer<TrainingProgress> progress, BatchLoss batchLoss) {
        if (steps <= 0 || !(learningRate > 0)) {
            throw new IllegalArgumentException(name + " training needs steps > 0 and a positive learning rate, got "
                    + steps + " steps at " + learningRate);
        }
        DjlRuntime.prepareCurrentThread();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(learningRate, learningRate / 10,
                Math.min(100, steps / 10), steps);
        ProgressMeter meter = new ProgressMeter(name, steps, Math.max(1, Math.min(steps / 20, 50)), progress);
        long begin = System.nanoTime();
        ResumableAdam adam = new ResumableAdam(model.getBlock().getParameters(), schedule);
        DefaultTrainingConfig training = new DefaultTrainingConfig(loss)
                .optOptimizer(adam)
                .optDevices(new Device[] {model.getNDManager().getDevice()});
        try (Trainer trainer = model.newTrainer(training)) {
            GuardedStep step = new GuardedStep(trainer, 1f, adam);
            for (int s = 1; s <= steps; s++) {
                StepOutcome outcome = step.run(() -> batchLoss.next(trainer));
                meter.record(outcome, schedule.getNewValue(s));
            }
        }
        return new TrainingReport(steps, meter.skippedSteps(), meter.losses(),
                Duration.ofNanos(System.nanoTime() - begin));
    }
}
