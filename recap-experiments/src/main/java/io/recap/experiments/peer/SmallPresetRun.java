package io.recap.experiments.peer;

import com.google.gson.GsonBuilder;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.diffusion.ContrastiveTextPretraining;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.TrainingReport;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code small} text-to-image preset's cost on this machine, as the platform runs it (all
 * cores unless {@code recap.ml.threads} says otherwise): contrastive text-encoder pretraining, the
 * diffusion steps, and one 16-image sample grid, each measured over a prefix of its real length;
 * the preset's wall time is then their rates times its lengths (2,000 pretraining steps, 10,000
 * steps, a grid every 1,000). Also counts the steps skipped for non-finite gradients.
 *
 * <p>{@code java -cp recap-experiments.jar io.recap.experiments.peer.SmallPresetRun
 * [--pretrain 200] [--steps 300] [--out FILE.json]}. Compiles against the platform's public training
 * API only, so the same class runs against an older build's jars to measure "before" (with this build's
 * picocli jar from {@code target/lib} on the class path, which an older build may lack).
 */
@Command(name = "SmallPresetRun", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures the small text-to-image preset's cost on this machine over a prefix of its length.")
public final class SmallPresetRun implements Callable<Integer> {

    @Option(names = "--pretrain", paramLabel = "STEPS",
            description = "Contrastive text-encoder pretraining steps timed; default ${DEFAULT-VALUE}.")
    int pretrainSteps = 200;

    @Option(names = "--steps", paramLabel = "STEPS", description = "Diffusion steps timed; default ${DEFAULT-VALUE}.")
    int steps = 300;

    @Option(names = "--out", paramLabel = "FILE.json", description = "Also write the result there.")
    Path out;

    private SmallPresetRun() {
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
        return new CommandLine(new SmallPresetRun());
    }

    @Override
    public Integer call() throws Exception {
        DjlRuntime.start();
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small();
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(11, 4000, 32, 1, 4);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", DjlRuntime.start().toString());
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.small(), ShapesWorldData.vocabulary(examples),
                preset.seed())) {
            if (pretrainSteps > 0) {
                TrainingReport pretraining = ContrastiveTextPretraining.pretrainTextEncoder(model, examples,
                        new ContrastiveTextPretraining.Settings(pretrainSteps, ContrastiveTextPretraining.BATCH_SIZE,
                                ContrastiveTextPretraining.LEARNING_RATE, CaptionMix.LONG_ONLY, preset.seed()),
                        progress -> { });
                result.put("pretrain_steps", pretraining.steps());
                result.put("pretrain_seconds", pretraining.duration().toMillis() / 1000.0);
                result.put("pretrain_skipped", pretraining.skippedSteps());
            }
            try (DiffusionTrainer trainer = DiffusionTrainer.start(model,
                    preset.withSchedule(100, 0, 0), CaptionMix.LONG_ONLY)) {
                TrainingReport training = trainer.trainUntil(examples, steps);
                result.put("steps", training.steps());
                result.put("seconds", training.duration().toMillis() / 1000.0);
                result.put("skipped", training.skippedSteps());
                result.put("final_loss", training.finalLoss(0.05));
            }
            long begin = System.nanoTime();
            model.sample(Collections.nCopies(4, examples.get(0).longCaption()),
                    new SamplingOptions(SamplingOptions.DEFAULT_STEPS, SamplingOptions.DEFAULT_GUIDANCE, 4, 1));
            result.put("grid_seconds", (System.nanoTime() - begin) / 1e9);
        }
        double pretrainRate = pretrainSteps > 0 ? (double) result.get("pretrain_seconds") / pretrainSteps : 0;
        double stepRate = (double) result.get("seconds") / steps;
        double estimate = preset.textPretrainSteps() * pretrainRate + preset.steps() * stepRate
                + (double) preset.steps() / preset.sampleEvery() * (double) result.get("grid_seconds");
        result.put("estimated_preset_hours", estimate / 3600);
        String json = new GsonBuilder().setPrettyPrinting().create().toJson(result);
        System.out.println(json);
        if (out != null) {
            Files.writeString(out, json);
        }
        return 0;
    }
}
