package io.recap.experiments.bases;

import io.recap.experiments.KeyValueArgs;
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
import java.util.Map;

/**
 * How fast a fine-tune of the text-to-image base picks up what its captions say, outside the platform: the base
 * fine-tuned on one caption mix of ShapesWorld scenes (their true SHORT/LONG captions stand in for a captioner's),
 * then scored on held-out LONG prompts. Sizes the main job's fine-tune before it is run through the services.
 *
 * <p>Usage: {@code WarmStartProbe base=DIR|checkpoint=DIR mix=alt|mix steps=N lr=3e-4 ema=0.99 scenes=2000
 * prompts=64 [batch=32] [evalEvery=N] [textWarmup=N textLr=1e-3] [foregroundWeight=W]} ({@code checkpoint}: a trainer checkpoint's EMA
 * weights; {@code textWarmup}: contrastive steps on the fine-tune's captions, from the base's text encoder, first).
 */
public final class WarmStartProbe {

    private WarmStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = KeyValueArgs.parse(args);
        DjlRuntime.prepareCurrentThread();
        int steps = Integer.parseInt(o.getOrDefault("steps", "300"));
        float lr = Float.parseFloat(o.getOrDefault("lr", "3e-4"));
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(steps).withSeed(1)
                .withBatchSize(Integer.parseInt(o.getOrDefault("batch", "32")))
                .withLearningRate(lr, lr / 10, 20)
                .withEmaDecay(Float.parseFloat(o.getOrDefault("ema", "0.99")))
                .withSchedule(50, 0, 0)
                .withForegroundWeight(Float.parseFloat(o.getOrDefault("foregroundWeight",
                        Float.toString(DiffusionTrainingPreset.small().foregroundWeight()))));
        CaptionMix mix = CaptionMix.parse(o.getOrDefault("mix", "mix"));
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(42,
                Integer.parseInt(o.getOrDefault("scenes", "2000")), 32, 1, 4);
        var prompts = ShapesWorldData.evaluationPrompts(777, Integer.parseInt(o.getOrDefault("prompts", "64")), 1, 4);
        long begin = System.nanoTime();
        try (DiffusionModel base = o.containsKey("checkpoint")
                ? DiffusionCheckpoint.loadEma(Path.of(o.get("checkpoint"))) : DiffusionModel.load(Path.of(o.get("base")))) {
            int warmup = Integer.parseInt(o.getOrDefault("textWarmup", "0"));
            if (warmup > 0) {
                System.out.println("text warm-up: " + ContrastiveTextPretraining.pretrainTextEncoder(base, examples,
                        new ContrastiveTextPretraining.Settings(warmup, ContrastiveTextPretraining.BATCH_SIZE,
                                Float.parseFloat(o.getOrDefault("textLr", "1e-3")), mix, 1, true), p -> { }));
            }
            if (steps == 0) {
                report("base", base, prompts, begin);
                return;
            }
            int every = Integer.parseInt(o.getOrDefault("evalEvery", Integer.toString(steps)));
            try (DiffusionTrainer trainer = DiffusionTrainer.start(base, preset, mix)) {
                trainer.onProgress(p -> System.out.println(mix + " " + p));
                for (int stop = Math.min(every, steps); ; stop = Math.min(stop + every, steps)) {
                    trainer.trainUntil(examples, stop);
                    report(mix + " " + stop + "/" + steps + " steps lr " + lr, trainer.emaModel(), prompts, begin);
                    if (stop == steps) {
                        break;
                    }
                }
            }
        }
    }

    private static void report(String label, DiffusionModel model, List<ShapesWorldData.EvaluationPrompt> prompts,
            long begin) {
        PromptEvaluation evaluation = PromptEvaluation.run(label, model, prompts,
                new SamplingOptions(25, 3f, 2, 777));
        System.out.println(String.format(Locale.ROOT, "RESULT %s (%.0f s): %s", label,
                (System.nanoTime() - begin) / 1e9, evaluation.summary().format()));
    }
}
