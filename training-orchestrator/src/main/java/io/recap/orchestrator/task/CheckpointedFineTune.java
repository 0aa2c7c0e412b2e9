package io.recap.orchestrator.task;

import io.recap.core.domain.ModelManifest;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptTrainer;
import io.recap.ml.training.StepOutcome;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a job drives the fine-tune of an imported TorchScript model: in chunks of {@code checkpointEvery} steps, each
 * ending in a checkpoint the job records (so a retry resumes there, step count and batches included), progress and
 * cancellation checked at every step; then the last checkpoint's model files published as the new version.
 */
public final class CheckpointedFineTune {

    /** Trains the trainer up to a step, reporting each step. */
    @FunctionalInterface
    public interface Training {
        void trainUntil(int stopStep, Consumer<StepOutcome> onStep);
    }

    private CheckpointedFineTune() {
    }

    /** The job's last checkpoint when it is one a TorchScript fine-tune wrote. */
    public static Optional<Checkpoint> resumable(TaskContext context) {
        return context.lastCheckpoint().filter(checkpoint -> TorchScriptFineTune.isCheckpoint(checkpoint.path()));
    }

    /**
     * Trains to {@code steps}; returns the folder of the last checkpoint ({@code resumedFrom}'s when nothing was left
     * to train).
     */
    public static Path train(TaskContext context, TorchScriptTrainer trainer, int steps, int checkpointEvery,
            Optional<Checkpoint> resumedFrom, Training training) {
        if (resumedFrom.isPresent()) {
            context.progressStartsAt(trainer.stepCount());
            context.log("resumed the imported fine-tune at step " + trainer.stepCount() + " (attempt "
                    + context.attempt() + ")");
        }
        context.progress(trainer.stepCount(), steps, null);
        Path last = resumedFrom.map(Checkpoint::path).orElse(null);
        while (trainer.stepCount() < steps) {
            int stop = Math.min(steps, trainer.stepCount() + checkpointEvery);
            training.trainUntil(stop, outcome -> {
                context.progress(trainer.stepCount(), steps, (double) outcome.loss());
                context.throwIfCancelled();
            });
            last = context.checkpointDirectory().resolve(String.format(Locale.ROOT, "imported-%08d",
                    trainer.stepCount()));
            trainer.checkpoint(last);
            context.checkpoint(trainer.stepCount(), last);
        }
        return last;
    }

    /** Publishes the checkpoint's model files (not its optimizer state) as {@code manifest}'s version. */
    public static void publish(TaskContext context, ModelManifest manifest, Path checkpoint) {
        context.models().publish(manifest, staging -> TorchScriptFineTune.copyModelFiles(checkpoint, staging));
    }
}
