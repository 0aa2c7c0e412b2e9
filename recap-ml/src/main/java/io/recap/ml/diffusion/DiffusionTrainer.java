package io.recap.ml.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.CheckpointableRandom;
import io.recap.ml.training.GuardedStep;
import io.recap.ml.training.LossCurvePlot;
import io.recap.ml.training.ManagerSnapshot;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDPM training of text encoder and UNet together: MSE between the UNet output and the
 * {@link Prediction} target at a uniformly drawn time step, Adam with warm-up and cosine decay,
 * global-norm clipping with non-finite gradients skipped, every step in its own NDScope, an EMA
 * copy of the weights for sampling. Each example's caption style is drawn by the
 * {@link CaptionMix} at every step, and a share of captions is replaced by the empty prompt.
 *
 * <p>Checkpoints hold live and EMA weights, Adam's moments and the random-stream state, so
 * {@link #resume} continues the step count and the exact batch sequence of the saved run.
 */
public final class DiffusionTrainer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiffusionTrainer.class);
    private static final int SAMPLE_IMAGES_PER_PROMPT = 4;

    private final DiffusionModel live;
    private final DiffusionModel ema;
    private final boolean ownsLive;
    private final DiffusionTrainingPreset preset;
    private final CaptionMix mix;
    private final CheckpointableRandom random;
    private int step;
    private int optimizerUpdates;
    private int skippedSteps;
    private float[] losses;
    private byte[] optimizerState;
    private Path checkpointDirectory;
    private int keepCheckpoints = 2;
    private Consumer<Path> checkpointListener = path -> { };
    private Consumer<TrainingProgress> progressListener = progress -> { };
    private Consumer<TrainingProgress> textPretrainingListener = progress -> { };
    private List<String> samplePrompts = List.of();
    private Path sampleDirectory;
    private Path lossCurve;
    /** Only a model made here from random weights gets its text encoder pretrained; a warm start keeps its own. */
    private boolean freshTextEncoder;

    private DiffusionTrainer(DiffusionModel live, DiffusionModel ema, boolean ownsLive,
            DiffusionTrainingPreset preset, CaptionMix mix, DiffusionCheckpoint.State state, byte[] optimizerState) {
        this.live = live;
        this.ema = ema;
        this.ownsLive = ownsLive;
        this.preset = preset;
        this.mix = mix;
        this.random = new CheckpointableRandom(state == null ? preset.seed() : state.randomState());
        this.step = state == null ? 0 : state.step();
        this.optimizerUpdates = state == null ? 0 : state.optimizerUpdates();
        this.skippedSteps = state == null ? 0 : state.skippedSteps();
        this.losses = state == null || state.losses() == null ? new float[0] : state.losses();
        this.optimizerState = optimizerState;
    }

    /**
     * Starts training {@code model} (the caller keeps owning it); the EMA copy starts from its
     * weights and belongs to the trainer.
     */
    public static DiffusionTrainer start(DiffusionModel model, DiffusionTrainingPreset preset, CaptionMix mix) {
        DiffusionModel average = DiffusionModel.create(model.getConfig(), model.getVocabulary(), preset.seed());
        average.copyWeightsFrom(model);
        return new DiffusionTrainer(model, average, false, preset, mix, null, null);
    }

    /** Creates a fresh model (weights seeded by {@code seed}) and starts training it; the trainer owns it. */
    public static DiffusionTrainer create(DiffusionConfig config, io.recap.ml.text.Vocabulary vocabulary, long seed,
            DiffusionTrainingPreset preset, CaptionMix mix) {
        DiffusionModel model = DiffusionModel.create(config, vocabulary, seed);
        DiffusionModel average = DiffusionModel.create(config, vocabulary, seed);
        average.copyWeightsFrom(model);
        DiffusionTrainer trainer = new DiffusionTrainer(model, average, true, preset, mix, null, null);
        trainer.freshTextEncoder = true;
        return trainer;
    }

    /**
     * Continues from a checkpoint written by a trainer: weights, EMA weights, Adam moments, step
     * count and random stream are restored; training then runs up to {@code preset.steps()}.
     */
    public static DiffusionTrainer resume(Path checkpoint, DiffusionTrainingPreset preset, CaptionMix mix)
            throws IOException {
        DiffusionCheckpoint.State state = DiffusionCheckpoint.readState(checkpoint);
        if (!mix.toString().equals(state.captionMix())) {
            log.warn("resuming {} with caption mix {} instead of {}", checkpoint, mix, state.captionMix());
        }
        DiffusionModel liveModel = DiffusionCheckpoint.loadLive(checkpoint);
        DiffusionModel average;
        try {
            average = DiffusionCheckpoint.loadEma(checkpoint);
        } catch (IOException | RuntimeException e) {
            liveModel.close();
            throw e;
        }
        log.info("resuming {} at step {} of {}", checkpoint, state.step(), preset.steps());
        return new DiffusionTrainer(liveModel, average, true, preset, mix, state,
                DiffusionCheckpoint.readOptimizerState(checkpoint));
    }

    /** Writes a checkpoint here every {@code preset.checkpointEvery()} steps and at the end. */
    public DiffusionTrainer checkpointTo(Path directory, int keep) {
        this.checkpointDirectory = directory;
        this.keepCheckpoints = keep;
        return this;
    }

    public DiffusionTrainer onCheckpoint(Consumer<Path> listener) {
        this.checkpointListener = listener;
        return this;
    }

    /** Receives a progress report every {@code preset.reportEvery()} steps and at the end. */
    public DiffusionTrainer onProgress(Consumer<TrainingProgress> listener) {
        this.progressListener = listener;
        return this;
    }

    /**
     * Receives the contrastive text-encoder pretraining's reports (its own steps and loss, a twentieth
     * of its steps but at most 50 apart) before step 1 of a fresh model; an exception thrown here stops
     * training there.
     */
    public DiffusionTrainer onTextPretrainingProgress(Consumer<TrainingProgress> listener) {
        this.textPretrainingListener = listener;
        return this;
    }

    /** Samples these prompts with the EMA weights every {@code preset.sampleEvery()} steps into PNG grids. */
    public DiffusionTrainer sampleGrids(List<String> prompts, Path directory) {
        this.samplePrompts = List.copyOf(prompts);
        this.sampleDirectory = directory;
        return this;
    }

    /** Writes the loss curve of the whole run (resumed parts included) to this PNG when training ends. */
    public DiffusionTrainer writeLossCurve(Path png) {
        this.lossCurve = png;
        return this;
    }

    /** Trains from the current step up to {@code preset.steps()} on batches drawn from {@code examples}. */
    public TrainingReport train(List<DiffusionExample> examples) {
        return trainUntil(examples, preset.steps());
    }

    /**
     * Trains from the current step up to {@code stopStep} (at most {@code preset.steps()}) and
     * checkpoints there: a run cut short, to be resumed later, follows the same learning-rate
     * schedule as one that runs through.
     */
    public TrainingReport trainUntil(List<DiffusionExample> examples, int stopStep) {
        DjlRuntime.prepareCurrentThread();
        int lastStep = Math.min(stopStep, preset.steps());
        if (lastStep <= step) {
            // Nothing to run: leave the optimizer state (none before the first update) as it is.
            return new TrainingReport(0, 0, new float[0], Duration.ZERO);
        }
        if (freshTextEncoder && preset.textPretrainSteps() > 0) {
            pretrainTextEncoder(examples);
            freshTextEncoder = false;
        }
        TrainingBatches batches = new TrainingBatches(examples, mix, preset.promptDropout(), preset.foregroundWeight());
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(
                preset.learningRate(), preset.finalLearningRate(), preset.warmupSteps(), preset.steps());
        int firstStep = step;
        int skippedBefore = skippedSteps;
        ProgressMeter meter = new ProgressMeter("diffusion/" + preset.name() + (firstStep > 0 ? " from " + firstStep : ""),
                Math.max(1, lastStep - step), preset.reportEvery(), progressListener);
        long begin = System.nanoTime();
        // The snapshot closes, after the trainer, what DJL's trainer and Adam leave in the model's manager.
        try (ManagerSnapshot snapshot = new ManagerSnapshot(live.getModel().getNDManager())) {
            ResumableAdam adam = new ResumableAdam(live.getBlock().getParameters(), schedule);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(adam)
                    .optDevices(new Device[] {live.getModel().getNDManager().getDevice()});
            try (Trainer trainer = live.getModel().newTrainer(config)) {
                if (optimizerState != null) {
                    adam.restoreState(optimizerState, optimizerUpdates, live.getModel().getNDManager());
                }
                GuardedStep guarded = new GuardedStep(trainer, preset.maxGradientNorm(), adam);
                ExponentialMovingAverage average = new ExponentialMovingAverage(live, ema, preset.emaDecay());
                while (step < lastStep) {
                    StepOutcome outcome = guarded.run(() -> loss(trainer, batches));
                    step++;
                    losses = append(losses, outcome.loss());
                    if (outcome.applied()) {
                        optimizerUpdates++;
                        average.update(optimizerUpdates);
                    } else {
                        skippedSteps++;
                    }
                    meter.record(outcome, schedule.getNewValue(Math.max(1, optimizerUpdates)));
                    if (preset.sampleEvery() > 0 && step % preset.sampleEvery() == 0) {
                        writeSampleGrid();
                    }
                    if (checkpointDirectory != null && (step == lastStep
                            || (preset.checkpointEvery() > 0 && step % preset.checkpointEvery() == 0))) {
                        optimizerState = adam.encodeState();
                        checkpoint();
                    }
                }
                optimizerState = adam.encodeState();
            }
        }
        TrainingReport report = new TrainingReport(step - firstStep, skippedSteps - skippedBefore,
                Arrays.copyOfRange(losses, firstStep, step), Duration.ofNanos(System.nanoTime() - begin));
        log.info("diffusion/{}: {}", preset.name(), report);
        writeLossCurve();
        return report;
    }

    /** Before step 1: the text encoder learns from the same images and captions contrastively first. */
    private void pretrainTextEncoder(List<DiffusionExample> examples) {
        if (examples.size() < 2) {
            log.warn("diffusion/{}: {} example(s) cannot be told apart contrastively; text encoder not pretrained",
                    preset.name(), examples.size());
            return;
        }
        TrainingReport report = ContrastiveTextPretraining.pretrainTextEncoder(live, examples,
                new ContrastiveTextPretraining.Settings(preset.textPretrainSteps(),
                        Math.min(ContrastiveTextPretraining.BATCH_SIZE, examples.size()),
                        ContrastiveTextPretraining.LEARNING_RATE, mix, preset.seed()),
                textPretrainingListener);
        ema.copyWeightsFrom(live);
        log.info("diffusion/{}: text encoder pretrained contrastively on {} captions: {}", preset.name(), mix, report);
    }

    private NDArray loss(Trainer trainer, TrainingBatches batches) {
        // step is the number of steps done; this batch is step + 1.
        TrainingBatches.Batch batch = batches.next(trainer.getManager(), live, preset.batchSize(), random,
                preset.foregroundWeightAt(step + 1));
        NDArray output = trainer.forward(new NDList(batch.noisy(), batch.timesteps(), batch.tokenIds()))
                .singletonOrThrow();
        NDArray squared = output.sub(batch.target()).square();
        if (batch.weights() == null) {
            return squared.mean();
        }
        return squared.mul(batch.weights()).mean().div(batch.weights().mean());
    }

    /** Writes a checkpoint of the current state now; needs {@link #checkpointTo}. */
    public Path checkpoint() {
        if (checkpointDirectory == null) {
            throw new IllegalStateException("no checkpoint directory configured");
        }
        DiffusionCheckpoint.State state = new DiffusionCheckpoint.State(step, random.state(), optimizerUpdates,
                preset.name(), mix.toString(), skippedSteps, losses);
        try {
            Path written = DiffusionCheckpoint.write(checkpointDirectory, live, ema,
                    optimizerState == null ? new NDList().encode() : optimizerState, state, keepCheckpoints);
            log.info("checkpoint at step {}: {}", step, written);
            checkpointListener.accept(written);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint at step " + step, e);
        }
    }

    private void writeSampleGrid() {
        if (samplePrompts.isEmpty() || sampleDirectory == null) {
            return;
        }
        long begin = System.nanoTime();
        List<java.awt.image.BufferedImage> images = ema.sample(samplePrompts,
                new SamplingOptions(SamplingOptions.DEFAULT_STEPS, SamplingOptions.DEFAULT_GUIDANCE,
                        SAMPLE_IMAGES_PER_PROMPT, preset.seed()));
        Path png = sampleDirectory.resolve(String.format(Locale.ROOT, "samples-step-%08d.png", step));
        try {
            SampleSheet.write(samplePrompts, images, SAMPLE_IMAGES_PER_PROMPT, null, "step " + step, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sample grid " + png, e);
        }
        log.info("sample grid at step {} in {} ms: {}", step, (System.nanoTime() - begin) / 1_000_000, png);
    }

    private void writeLossCurve() {
        if (lossCurve == null) {
            return;
        }
        try {
            LossCurvePlot.write(losses, String.format(Locale.ROOT, "diffusion %s (%s, %s): %d steps, last-5%% loss %.4f",
                    preset.name(), live.getConfig().prediction(), mix, step,
                    new TrainingReport(step, skippedSteps, losses, Duration.ZERO).finalLoss(0.05)), lossCurve);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write loss curve " + lossCurve, e);
        }
    }

    private static float[] append(float[] values, float value) {
        float[] grown = Arrays.copyOf(values, values.length + 1);
        grown[values.length] = value;
        return grown;
    }

    /** Steps done so far, resumed ones included. */
    public int step() {
        return step;
    }

    public DiffusionTrainingPreset preset() {
        return preset;
    }

    public CaptionMix captionMix() {
        return mix;
    }

    /** The model being trained. */
    public DiffusionModel liveModel() {
        return live;
    }

    /** The EMA weights: the model to sample from and to publish. Closed with the trainer. */
    public DiffusionModel emaModel() {
        return ema;
    }

    /** Losses of every step so far, resumed ones included. */
    public float[] losses() {
        return losses.clone();
    }

    @Override
    public void close() {
        ema.close();
        if (ownsLive) {
            live.close();
        }
    }
}
