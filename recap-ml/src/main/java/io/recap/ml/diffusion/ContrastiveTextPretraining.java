package io.recap.ml.diffusion;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.nn.ConvImageEncoder;
import io.recap.ml.nn.FusedLinear;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
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
 * and a small convolutional image encoder learn, on the same images and captions, to pick each
 * caption's image out of its batch (symmetric InfoNCE over masked-mean text and mean image
 * features with a learned temperature); the text encoder's weights then replace the diffusion
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
     */
    public record Settings(int steps, int batchSize, float learningRate, CaptionMix mix, long seed) {
        public Settings {
            if (steps <= 0 || batchSize < 2 || !(learningRate > 0)) {
                throw new IllegalArgumentException("contrastive pretraining needs steps > 0, batch >= 2, lr > 0");
            }
        }
    }

    /** Images per batch when the training set has as many (CLIP used 32k; 64 fits a CPU core). */
    public static final int BATCH_SIZE = 64;
    /** Adam's peak rate, measured to work with {@link #BATCH_SIZE} on ShapesWorld. */
    public static final float LEARNING_RATE = 1e-3f;

    private ContrastiveTextPretraining() {
    }

    /**
     * Pretrains a text encoder shaped like {@code model}'s on {@code examples} and copies its
     * weights into {@code model} (whose UNet is left as it is).
     */
    public static TrainingReport pretrainTextEncoder(DiffusionModel model, List<DiffusionExample> examples,
            Settings settings, Consumer<TrainingProgress> listener) {
        DjlRuntime.prepareCurrentThread();
        Engine.getInstance().setRandomSeed((int) settings.seed());
        DiffusionConfig config = model.getConfig();
        int size = config.imageSize();
        ContrastiveBlock block = new ContrastiveBlock(config, model.getVocabulary().size());
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
            ResumableAdam adam = new ResumableAdam(block.getParameters(), schedule);
            DefaultTrainingConfig training = new DefaultTrainingConfig(new SymmetricInfoNce())
                    .optOptimizer(adam)
                    .optDevices(new Device[] {contrastive.getNDManager().getDevice()});
            try (Trainer trainer = contrastive.newTrainer(training)) {
                GuardedStep step = new GuardedStep(trainer, 1f, adam);
                for (int s = 1; s <= settings.steps(); s++) {
                    List<DiffusionExample> batch = distinctImages(examples, settings.batchSize(), random);
                    List<BufferedImage> images = batch.stream().map(DiffusionExample::image).toList();
                    List<String> captions = batch.stream()
                            .map(e -> e.caption(settings.mix().pick(random.nextDouble()))).toList();
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
            BlockInitialization.copyParameters(block.textEncoder, model.getBlock().textEncoder());
        }
        return new TrainingReport(settings.steps(), meter.skippedSteps(), meter.losses(),
                Duration.ofNanos(System.nanoTime() - begin));
    }

    /** {@code count} examples drawn without replacement, so no batch holds one image twice. */
    private static List<DiffusionExample> distinctImages(List<DiffusionExample> examples, int count,
            SplittableRandom random) {
        int n = examples.size();
        if (n < count) {
            throw new IllegalArgumentException("contrastive batches of " + count + " need as many examples, got " + n);
        }
        List<DiffusionExample> batch = new ArrayList<>(count);
        Set<Integer> taken = new HashSet<>();
        while (batch.size() < count) {
            int i = random.nextInt(n);
            if (taken.add(i)) {
                batch.add(examples.get(i));
            }
        }
        return batch;
    }

    /**
     * Text and image encoders side by side. Inputs {@code (images (B, 3, S, S), tokenIds (B, L))};
     * output the (B, B) similarity logits, text rows against image columns.
     */
    static final class ContrastiveBlock extends AbstractBlock {

        private static final float MAX_LOG_SCALE = (float) Math.log(100);

        private final int width;
        private final TextEncoder textEncoder;
        private final ConvImageEncoder imageEncoder;
        private final Linear textProjection;
        private final Linear imageProjection;
        private final Parameter logScale;

        ContrastiveBlock(DiffusionConfig config, int vocabularySize) {
            width = config.textWidth();
            textEncoder = addChildBlock("textEncoder", new TextEncoder(vocabularySize, config.textWidth(),
                    config.textLayers(), config.textHeads(), config.contextLength()));
            // A 4x4 token grid at 32x32: each token sees about one scene cell and its neighbours.
            int grid = Math.max(1, config.imageSize() / 8);
            imageEncoder = addChildBlock("imageEncoder", new ConvImageEncoder(config.imageSize(), grid, 16, width));
            textProjection = addChildBlock("textProjection", new FusedLinear(width));
            imageProjection = addChildBlock("imageProjection", new FusedLinear(width));
            // CLIP's starting temperature, 1 / 0.07.
            logScale = addParameter(Parameter.builder().setName("logScale").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07)))
                    .build());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray images = inputs.get(0);
            NDArray ids = inputs.get(1);
            NDArray tokens = textEncoder.forward(parameterStore, new NDList(ids), training).get(0);
            // Masked mean over the caption's own tokens (padding excluded).
            NDArray mask = ids.neq(Vocabulary.PAD_ID).toType(DataType.FLOAT32, false).expandDims(2);
            NDArray text = tokens.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
            NDArray picture = imageEncoder.forward(parameterStore, new NDList(images), training)
                    .singletonOrThrow().mean(new int[] {1});
            text = unit(textProjection.forward(parameterStore, new NDList(text), training).singletonOrThrow());
            picture = unit(imageProjection.forward(parameterStore, new NDList(picture), training).singletonOrThrow());
            NDArray scale = parameterStore.getValue(logScale, images.getDevice(), training)
                    .clip(0f, MAX_LOG_SCALE).exp();
            return new NDList(text.matMul(picture.transpose()).mul(scale));
        }

        private static NDArray unit(NDArray x) {
            return x.div(x.square().sum(new int[] {1}, true).add(1e-6f).sqrt());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape images = inputShapes[0];
            Shape ids = inputShapes[1];
            textEncoder.initialize(manager, dataType, ids);
            imageEncoder.initialize(manager, dataType, images);
            Shape pooled = new Shape(images.get(0), width);
            textProjection.initialize(manager, dataType, pooled);
            imageProjection.initialize(manager, dataType, pooled);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(0))};
        }
    }

    /** CLIP's loss: cross-entropy of each caption over the images and of each image over the captions. */
    static final class SymmetricInfoNce extends Loss {

        SymmetricInfoNce() {
            super("symmetric-infonce");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();
            NDArray diagonal = logits.getManager().eye((int) logits.getShape().get(0));
            NDArray textToImage = logits.logSoftmax(1).mul(diagonal).sum(new int[] {1});
            NDArray imageToText = logits.logSoftmax(0).mul(diagonal).sum(new int[] {0});
            return textToImage.add(imageToText).mean().div(-2f);
        }
    }
}
