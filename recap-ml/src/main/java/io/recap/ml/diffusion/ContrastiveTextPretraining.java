package io.recap.ml.diffusion;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.GuardedStep;
import io.recap.ml.training.ProgressMeter;
import io.recap.ml.training.ResumableAdam;
import io.recap.ml.training.StepOutcome;
import io.recap.ml.training.TrainingProgress;
import io.recap.ml.training.TrainingReport;
import io.recap.ml.training.WarmupCosineSchedule;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * CLIP-style pretraining of a diffusion model's text encoder before diffusion training starts.
 *
 * <p>Stable Diffusion's text encoder arrives pretrained (CLIP): its token features already tell
 * "upper left" from "bottom right" when the UNet first attends to them. Ours starts from random
 * weights and must learn that from the denoising loss alone, which on LONG captions takes
 * thousands of steps (docs/diffusion, "Where position is lost"). Here a copy of the text encoder
 * and a small convolutional image encoder ({@link ContrastiveBlock}) learn, on the same images and
 * captions, to pick each caption's image out of its batch (symmetric InfoNCE over masked-mean text
 * and mean image features with a learned temperature); the text encoder's weights then replace the diffusion
 * model's before its training starts. The UNet and the text encoder are trained after that as
 * before.
 */
public final class ContrastiveTextPretraining {

    /**
     * @param steps optimisation steps
     * @param batchSize images per batch, each the others' negatives
     * @param learningRate Adam's peak rate (warm-up, then cosine decay to a tenth of it)
     * @param mix the caption styles the text side reads, drawn per example as diffusion training draws them
     * @param seed batch order and weight initialisation
     * @param fromModel start the text side from the model's own text encoder instead of random weights: a
     *        fine-tune's warm-up, which teaches a pretrained encoder the words its new captions tell images apart by
     */
    public record Settings(int steps, int batchSize, float learningRate, CaptionMix mix, long seed,
            boolean fromModel) {
        public Settings {
            if (steps <= 0 || batchSize < 2 || !(learningRate > 0)) {
                throw new IllegalArgumentException("contrastive pretraining needs steps > 0, batch >= 2, lr > 0");
            }
        }

        /** Pretraining from random weights. */
        public Settings(int steps, int batchSize, float learningRate, CaptionMix mix, long seed) {
            this(steps, batchSize, learningRate, mix, seed, false);
        }
    }

    /** Images per batch when the training set has as many (CLIP used 32k; 64 fits a CPU core). */
    public static final int BATCH_SIZE = 64;
    /** Adam's peak rate, measured to work with {@link #BATCH_SIZE} on ShapesWorld. */
    public static final float LEARNING_RATE = 1e-3f;

    private ContrastiveTextPretraining() {
    }

    /**
     * Pretrains a text encoder shaped like {@code model}'s (or, with {@link Settings#fromModel()}, a copy of it) on
     * {@code examples} and copies its weights into {@code model} (whose UNet is left as it is).
     */
    public static TrainingReport pretrainTextEncoder(DiffusionModel model, List<DiffusionExample> examples,
            Settings settings, Consumer<TrainingProgress> listener) {
        List<BufferedImage> images = examples.stream().map(DiffusionExample::image).toList();
        return pretrain(model, images, (i, random) -> examples.get(i).caption(settings.mix().pick(random.nextDouble())),
                settings, listener);
    }

    /**
     * Pretrains on images that each carry several captions of their own (a web corpus's texts rather than one
     * caption mix), one drawn per image and step; {@link Settings#mix()} is not read. This is how a base's text
     * encoder learns language its diffusion corpus does not hold, as Stable Diffusion's CLIP encoder did.
     */
    public static TrainingReport pretrainTextEncoder(DiffusionModel model, List<BufferedImage> images,
            List<List<String>> captions, Settings settings, Consumer<TrainingProgress> listener) {
        if (images.size() != captions.size() || captions.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("every image needs at least one caption");
        }
        return pretrain(model, images, (i, random) -> {
            List<String> own = captions.get(i);
            return own.get(random.nextInt(own.size()));
        }, settings, listener);
    }

    /** The caption of image {@code index} for one step. */
    private interface CaptionDraw {
        String caption(int index, SplittableRandom random);
    }

    private static TrainingReport pretrain(DiffusionModel model, List<BufferedImage> allImages, CaptionDraw draw,
            Settings settings, Consumer<TrainingProgress> listener) {
        DjlRuntime.prepareCurrentThread();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        DiffusionConfig config = model.getConfig();
        int size = config.imageSize();
        ContrastiveBlock block = new ContrastiveBlock(size, model.getVocabulary().size(), config.textWidth(),
                config.textLayers(), config.textHeads(), config.contextLength());
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(settings.learningRate(),
                settings.learningRate() / 10, Math.min(100, settings.steps() / 10), settings.steps());
        ProgressMeter meter = new ProgressMeter("text-encoder/contrastive", settings.steps(),
                Math.max(1, Math.min(settings.steps() / 20, 50)), listener);
        SplittableRandom random = new SplittableRandom(settings.seed());
        long begin = System.nanoTime();
        try (Model contrastive = Model.newInstance("contrastive-text-image")) {
            contrastive.setBlock(block);
            BlockInitialization.initialize(block, contrastive.getNDManager(), new Shape(1, 3, size, size),
                    new Shape(1, config.contextLength()));
            if (settings.fromModel()) {
                BlockInitialization.copyParameters(model.getBlock().textEncoder(), block.textEncoder());
            }
            ResumableAdam adam = new ResumableAdam(block.getParameters(), schedule);
            DefaultTrainingConfig training = new DefaultTrainingConfig(new ContrastiveBlock.SymmetricInfoNce())
                    .optOptimizer(adam)
                    .optDevices(new Device[] {contrastive.getNDManager().getDevice()});
            try (Trainer trainer = contrastive.newTrainer(training)) {
                GuardedStep step = new GuardedStep(trainer, 1f, adam);
                for (int s = 1; s <= settings.steps(); s++) {
                    List<Integer> batch = distinctImages(allImages.size(), settings.batchSize(), random);
                    List<BufferedImage> images = batch.stream().map(allImages::get).toList();
                    List<String> captions = batch.stream().map(i -> draw.caption(i, random)).toList();
                    StepOutcome outcome = step.run(() -> {
                        NDManager manager = trainer.getManager();
                        NDList inputs = new NDList(ImageTensors.toTensor(manager, images, size),
                                model.tokenize(manager, captions));
                        NDArray logits = trainer.forward(inputs).singletonOrThrow();
                        return trainer.getLoss().evaluate(new NDList(), new NDList(logits));
                    });
                    meter.record(outcome, schedule.getNewValue(s));
                }
            }
            BlockInitialization.copyParameters(block.textEncoder(), model.getBlock().textEncoder());
        }
        return new TrainingReport(settings.steps(), meter.skippedSteps(), meter.losses(),
                Duration.ofNanos(System.nanoTime() - begin));
    }

    /** {@code count} indices of {@code n} drawn without replacement, so no batch holds one image twice. */
    private static List<Integer> distinctImages(int n, int count, SplittableRandom random) {
        if (n < count) {
            throw new IllegalArgumentException("contrastive batches of " + count + " need as many examples, got " + n);
        }
        List<Integer> batch = new ArrayList<>(count);
        Set<Integer> taken = new HashSet<>();
        while (batch.size() < count) {
            int i = random.nextInt(n);
            if (taken.add(i)) {
                batch.add(i);
            }
        }
        return batch;
    }
}
