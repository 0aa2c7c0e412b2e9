package io.recap.experiments.bases;

import io.recap.core.domain.CaptionMix;
import io.recap.ml.diffusion.ContrastiveTextPretraining;
import io.recap.ml.diffusion.DiffusionCheckpoint;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.shapesml.diffusion.PromptEvaluation;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How fast a fine-tune of the text-to-image base picks up what its captions say, outside the platform: the base
 * fine-tuned on one caption mix of ShapesWorld scenes (their true SHORT/LONG captions stand in for a captioner's),
 * then scored on held-out LONG prompts. Sizes the main job's fine-tune before it is run through the services.
 *
 * <pre>
 * java -cp recap-experiments/target/recap-experiments.jar io.recap.experiments.bases.WarmStartProbe
 *   --base DIR|--checkpoint DIR [--mix alt|mix] [--steps 300] [--lr 3e-4] [--ema 0.99] [--scenes 2000]
 *   [--prompts 64] [--batch 32] [--eval-every N] [--text-warmup N [--text-lr 1e-3]] [--foreground-weight W [--final-foreground-weight W]]
 * </pre>
 *
 * ({@code --checkpoint}: a trainer checkpoint's EMA weights; {@code --text-warmup}: contrastive steps on the
 * fine-tune's captions, from the base's text encoder, first; {@code --help}: every option and its default.)
 */
@Command(name = "WarmStartProbe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fine-tunes the text-to-image base on one caption mix and scores held-out LONG prompts.")
public final class WarmStartProbe implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--base", paramLabel = "DIR", description = "The published base to start from.")
    Path base;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Start from a trainer checkpoint's EMA weights instead of --base.")
    Path checkpoint;

    @Option(names = "--mix", paramLabel = "alt|mix", description = "The caption mix; default ${DEFAULT-VALUE}.")
    String mix = "mix";

    @Option(names = "--steps", paramLabel = "N", description = "Fine-tuning steps (0: score the base); default "
            + "${DEFAULT-VALUE}.")
    int steps = 300;

    @Option(names = "--lr", paramLabel = "R", description = "Learning rate; default ${DEFAULT-VALUE}.")
    float lr = 3e-4f;

    @Option(names = "--ema", paramLabel = "DECAY", description = "EMA decay; default ${DEFAULT-VALUE}.")
    float ema = 0.99f;

    @Option(names = "--scenes", paramLabel = "N", description = "Training scenes; default ${DEFAULT-VALUE}.")
    int scenes = 2000;

    @Option(names = "--prompts", paramLabel = "N", description = "Held-out prompts; default ${DEFAULT-VALUE}.")
    int prompts = 64;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size; default ${DEFAULT-VALUE}.")
    int batch = 32;

    @Option(names = "--eval-every", paramLabel = "N", description = "Score every N steps; default: at the end.")
    Integer evalEvery;

    @Option(names = "--text-warmup", paramLabel = "N",
            description = "Contrastive text-encoder steps on the fine-tune's captions first; default ${DEFAULT-VALUE}.")
    int textWarmup;

    @Option(names = "--text-lr", paramLabel = "R",
            description = "Learning rate of the text warm-up; default ${DEFAULT-VALUE}.")
    float textLr = 1e-3f;

    @Option(names = "--foreground-weight", paramLabel = "W",
            description = "Loss weight of foreground pixels; default ${DEFAULT-VALUE} (the small preset's).")
    float foregroundWeight = DiffusionTrainingPreset.small().foregroundWeight();

    @Option(names = "--final-foreground-weight", paramLabel = "W",
            description = "The foreground weight at the last step, reached along a half cosine; default: constant.")
    Float finalForegroundWeight;

    private WarmStartProbe() {
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
        return new CommandLine(new WarmStartProbe());
    }

    @Override
    public Integer call() throws Exception {
        if ((base == null) == (checkpoint == null)) {
            throw new ParameterException(spec.commandLine(), "give one of --base DIR and --checkpoint DIR");
        }
        CaptionMix captionMix;
        try {
            captionMix = CaptionMix.parse(mix);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mix: " + e.getMessage(), e);
        }
        DjlRuntime.prepareCurrentThread();
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(steps).withSeed(1)
                .withBatchSize(batch)
                .withLearningRate(lr, lr / 10, 20)
                .withEmaDecay(ema)
                .withSchedule(50, 0, 0)
                .withForegroundWeight(foregroundWeight,
                        finalForegroundWeight == null ? foregroundWeight : finalForegroundWeight);
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(42, scenes, 32, 1, 4);
        var evaluationPrompts = ShapesWorldData.evaluationPrompts(777, prompts, 1, 4);
        long begin = System.nanoTime();
        try (DiffusionModel start = checkpoint != null
                ? DiffusionCheckpoint.loadEma(checkpoint) : DiffusionModel.load(base)) {
            if (textWarmup > 0) {
                System.out.println("text warm-up: " + ContrastiveTextPretraining.pretrainTextEncoder(start, examples,
                        new ContrastiveTextPretraining.Settings(textWarmup, ContrastiveTextPretraining.BATCH_SIZE,
                                textLr, captionMix, 1, true), p -> { }));
            }
            if (steps == 0) {
                report("base", start, evaluationPrompts, begin);
                return 0;
            }
            int every = evalEvery != null ? evalEvery : steps;
            try (DiffusionTrainer trainer = DiffusionTrainer.start(start, preset, captionMix)) {
                trainer.onProgress(p -> System.out.println(captionMix + " " + p));
                for (int stop = Math.min(every, steps); ; stop = Math.min(stop + every, steps)) {
                    trainer.trainUntil(examples, stop);
                    report(captionMix + " " + stop + "/" + steps + " steps lr " + lr, trainer.emaModel(),
                            evaluationPrompts, begin);
                    if (stop == steps) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    private static void report(String label, DiffusionModel model, List<ShapesWorldData.EvaluationPrompt> prompts,
            long begin) {
        PromptEvaluation evaluation = PromptEvaluation.run(label, model, prompts,
                new SamplingOptions(25, 3f, 2, 777));
        System.out.println(String.format(Locale.ROOT, "RESULT %s (%.0f s): %s", label,
                (System.nanoTime() - begin) / 1e9, evaluation.summary().format()));
    }
}
