package io.recap.ml.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.recap.core.json.Json;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.CheckpointableRandom;
import io.recap.ml.training.GuardedStep;
import io.recap.ml.training.ResumableAdam;
import io.recap.ml.training.StepOutcome;
import io.recap.ml.training.WarmupCosineSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The optimisation state of fine-tuning an imported model's TorchScript graphs through DJL: every graph's
 * parameters under one Adam (named {@code graph/parameter}), the platform's guarded step (non-finite gradients
 * skipped, norm clipped), the step count and the data stream's random state.
 *
 * <p>A checkpoint is itself an imported model folder (the graphs with their current weights, the config and the
 * tokenizer) plus {@value #OPTIMIZER_FILE} and {@value #STATE_FILE}, so resuming loads the graphs from it and a
 * finished fine-tune publishes by copying the folder without those two files.
 */
public final class TorchScriptFineTune {

    public static final String OPTIMIZER_FILE = "optimizer.state";
    public static final String STATE_FILE = "fine-tune.json";

    /**
     * @param steps planned steps (the learning-rate schedule's length)
     * @param learningRate peak rate after warm-up, decaying along a half cosine to a tenth of it
     * @param warmupSteps linear warm-up
     * @param batchSize examples per step
     * @param maxGradientNorm global clipping norm
     * @param seed the data stream's seed
     */
    public record Settings(int steps, float learningRate, int warmupSteps, int batchSize, float maxGradientNorm,
            long seed) {
        public Settings {
            if (steps < 1 || learningRate <= 0 || warmupSteps < 0 || batchSize < 1 || maxGradientNorm <= 0) {
                throw new IllegalArgumentException("invalid fine-tune settings " + steps + ", " + learningRate + ", "
                        + warmupSteps + ", " + batchSize + ", " + maxGradientNorm);
            }
        }
    }

    /** What {@value #STATE_FILE} holds. */
    record State(Settings settings, int step, int optimizerUpdates, long randomState, List<Float> losses) {
    }

    private final TorchScriptGraphs graphs;
    private final Settings settings;
    private final PairList<String, Parameter> parameters;
    private final ResumableAdam optimizer;
    private final GuardedStep guardedStep;
    private final CheckpointableRandom random;
    private final List<Float> losses;
    private int step;

    private TorchScriptFineTune(TorchScriptGraphs graphs, List<String> trained, Settings settings, int step,
            long randomState, List<Float> losses) {
        this.graphs = graphs;
        this.settings = settings;
        this.parameters = new PairList<>();
        for (String graph : graphs.names()) {
            // Graphs outside the trained list (a VAE) only transform data; they keep their weights.
            graphs.block(graph).freezeParameters(!trained.contains(graph));
            if (trained.contains(graph)) {
                for (Pair<String, Parameter> parameter : graphs.block(graph).getParameters()) {
                    parameters.add(graph + "/" + parameter.getKey(), parameter.getValue());
                }
            }
        }
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(settings.learningRate(), settings.learningRate() / 10,
                settings.warmupSteps(), settings.steps());
        this.optimizer = new ResumableAdam(parameters, schedule);
        this.guardedStep = GuardedStep.over(parameters, settings.maxGradientNorm(), optimizer);
        this.random = new CheckpointableRandom(randomState);
        this.losses = new ArrayList<>(losses);
        this.step = step;
    }

    /** Begins at step 0 on graphs loaded trainable, training those named {@code trained}. */
    public static TorchScriptFineTune start(TorchScriptGraphs graphs, List<String> trained, Settings settings) {
        return new TorchScriptFineTune(graphs, trained, settings, 0, settings.seed(), List.of());
    }

    /** Continues from a checkpoint whose graphs are already loaded (trainable) into {@code graphs}. */
    public static TorchScriptFineTune resume(TorchScriptGraphs graphs, List<String> trained, Path checkpoint)
            throws IOException {
        State state = Json.read(Files.readAllBytes(checkpoint.resolve(STATE_FILE)), State.class);
        TorchScriptFineTune fineTune = new TorchScriptFineTune(graphs, trained, state.settings(), state.step(),
                state.randomState(), state.losses());
        byte[] moments = Files.readAllBytes(checkpoint.resolve(OPTIMIZER_FILE));
        fineTune.optimizer.restoreState(moments, state.optimizerUpdates(), graphs.manager(graphs.names().get(0)));
        return fineTune;
    }

    /** Copies a checkpoint's model files (not its optimizer and step state) into {@code target}, to publish them. */
    public static void copyModelFiles(Path checkpoint, Path target) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(checkpoint)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals(OPTIMIZER_FILE) && !name.equals(STATE_FILE)) {
                    Files.copy(file, target.resolve(name));
                }
            }
        }
    }

    /** Every step's loss recorded in a checkpoint. */
    public static List<Float> losses(Path checkpoint) throws IOException {
        return Json.read(Files.readAllBytes(checkpoint.resolve(STATE_FILE)), State.class).losses();
    }

    /** Whether {@code folder} is a checkpoint this class wrote. */
    public static boolean isCheckpoint(Path folder) {
        return Files.isRegularFile(folder.resolve(STATE_FILE)) && Files.isRegularFile(folder.resolve(OPTIMIZER_FILE));
    }

    /** One guarded optimisation step on the loss the supplier computes (its arrays are scoped to the step). */
    public StepOutcome step(Supplier<NDArray> loss) {
        DjlRuntime.prepareCurrentThread();
        StepOutcome outcome = guardedStep.run(loss);
        step++;
        losses.add(outcome.loss());
        return outcome;
    }

    /**
     * Writes a checkpoint to {@code folder}: the graphs with their current weights, the {@code modelFolder}'s config
     * and tokenizer, the optimizer's moments and the step and random state.
     */
    public void checkpoint(Path modelFolder, Path folder) {
        try {
            Files.createDirectories(folder);
            for (String graph : graphs.names()) {
                graphs.save(graph, folder);
            }
            for (String file : List.of(TorchScriptConfig.FILE_NAME, TorchScriptConfig.TOKENIZER_FILE)) {
                if (!modelFolder.resolve(file).equals(folder.resolve(file))) {
                    Files.copy(modelFolder.resolve(file), folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.write(folder.resolve(OPTIMIZER_FILE), optimizer.encodeState());
            Files.write(folder.resolve(STATE_FILE), Json.writePretty(new State(settings, step, optimizer.appliedUpdates(), random.state(),
                    losses)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + folder, e);
        }
    }

    /** Steps done so far, including those before a resume. */
    public int stepCount() {
        return step;
    }

    public Settings settings() {
        return settings;
    }

    /** The data stream's random numbers: drawing from it keeps a resumed run on the same batches. */
    public CheckpointableRandom random() {
        return random;
    }

    /** Every step's loss so far, including those before a resume. */
    public List<Float> losses() {
        return List.copyOf(losses);
    }

    /** Parameters that take gradients, by {@code graph/parameter} name. */
    public PairList<String, Parameter> parameters() {
        return parameters;
    }
}
