package io.recap.experiments.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.TrainingReport;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Speed of the text-to-image model: training steps per second at the preset's batch, the UNet's
 * forward time for one guided image (a batch of 2: conditional + unconditional), and end-to-end
 * latency per image at 25 and 50 DDIM steps (text encoding, sampling loop, conversion to RGB).
 *
 * <p>{@code java ... DiffusionBenchmark [small|smoke|paper] [modelDir]}: a saved model when given,
 * otherwise freshly initialised weights (timing does not depend on the weights).
 */
@Command(name = "DiffusionBenchmark", mixinStandardHelpOptions = true,
        description = "Speed of the text-to-image model: training steps, UNet forward, sampling latency.")
public final class DiffusionBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "small|smoke|paper",
            description = "The preset (architecture and training batch); default ${DEFAULT-VALUE}.")
    String preset = "small";

    @Parameters(index = "1", arity = "0..1", paramLabel = "modelDir",
            description = "A saved model to time instead of fresh weights (then training is not timed).")
    Path modelDir;

    private DiffusionBenchmark() {
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
        return new CommandLine(new DiffusionBenchmark());
    }

    @Override
    public Integer call() throws Exception {
        DiffusionConfig config;
        try {
            config = DiffusionConfig.byName(preset);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        DjlRuntime.start();
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(11, 512, config.imageSize(), 1, 4);
        try (DiffusionModel model = modelDir != null ? DiffusionModel.load(modelDir)
                : DiffusionModel.create(config, ShapesWorldData.vocabulary(examples), 1)) {
            System.out.printf(Locale.ROOT, "%s: %,d parameters, %s%n", preset, model.parameterCount(), model.getConfig());
            System.out.printf(Locale.ROOT, "engine: %s%n", DjlRuntime.start());
            if (modelDir == null) {
                trainingSpeed(model, examples, DiffusionTrainingPreset.byName(preset));
            }
            forwardTime(model, 2, 50);
            String prompt = examples.get(0).longCaption();
            for (int steps : new int[] {25, 50}) {
                latency(model, prompt, steps, SamplingOptions.DEFAULT_GUIDANCE, 1, 3);
                latency(model, prompt, steps, 1f, 1, 3);
                latency(model, prompt, steps, SamplingOptions.DEFAULT_GUIDANCE, 16, 1);
            }
        }
        return 0;
    }

    private static void trainingSpeed(DiffusionModel model, List<DiffusionExample> examples,
            DiffusionTrainingPreset preset) {
        DiffusionTrainingPreset shortRun = preset.withSteps(40).withSchedule(10, 0, 0);
        try (DiffusionTrainer trainer = DiffusionTrainer.start(model, shortRun, CaptionMix.LONG_ONLY)) {
            TrainingReport report = trainer.train(examples);
            System.out.printf(Locale.ROOT, "training: batch %d, %s (%.3f s/step)%n", preset.batchSize(), report,
                    1 / report.stepsPerSecond());
        }
    }

    /** Mean UNet (+ nothing else) forward time for a batch of {@code batch} rows. */
    private static void forwardTime(DiffusionModel model, int batch, int repeats) {
        int size = model.getConfig().imageSize();
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray ids = model.tokenize(manager, java.util.Collections.nCopies(batch, "a red circle"));
            NDList text = model.getBlock().encodeText(parameters, ids, false);
            NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
            NDArray t = manager.full(new Shape(batch), 500f);
            long total = 0;
            for (int i = 0; i < repeats + 5; i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    long begin = System.nanoTime();
                    model.getBlock().denoise(parameters, x, t, text, false).toFloatArray();
                    if (i >= 5) {
                        total += System.nanoTime() - begin;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "UNet forward, batch %d: %.2f ms%n", batch, total / 1e6 / repeats);
        }
    }

    private static void latency(DiffusionModel model, String prompt, int steps, float guidance, int images,
            int repeats) {
        model.sample(List.of(prompt), new SamplingOptions(steps, guidance, images, 0)); // warm-up
        long begin = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            model.sample(List.of(prompt), new SamplingOptions(steps, guidance, images, i));
        }
        double millis = (System.nanoTime() - begin) / 1e6 / repeats;
        System.out.printf(Locale.ROOT, "sample %d image(s), %d DDIM steps, guidance %.1f: %.0f ms per call, %.0f ms per image%n",
                images, steps, guidance, millis, millis / images);
    }
}
