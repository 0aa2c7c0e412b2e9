package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.ml.image.DominantColour;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.training.CheckpointableRandom;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws DDPM training batches from a list of examples. For each row, in this order and all from
 * the one checkpointable random stream: the example (uniformly, with replacement), its caption
 * style (by the {@link CaptionMix} weights, afresh at every step), whether the caption is dropped
 * for the empty prompt, the time step (uniform over T) and the Gaussian noise. A resumed run
 * therefore sees exactly the batches the uninterrupted run would have seen.
 */
final class TrainingBatches {

    /** One batch: noisy images x_t, their time steps, prompt ids and the regression target. */
    record Batch(NDArray noisy, NDArray timesteps, NDArray tokenIds, NDArray target, NDArray weights) {
    }

    private final List<DiffusionExample> examples;
    private final CaptionMix mix;
    private final float promptDropout;
    private final float foregroundWeight;

    TrainingBatches(List<DiffusionExample> examples, CaptionMix mix, float promptDropout, float foregroundWeight) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.mix = mix;
        this.promptDropout = promptDropout;
        this.foregroundWeight = foregroundWeight;
    }

    int size() {
        return examples.size();
    }

    /** The example's caption in a style drawn by the mix, or the empty prompt with the dropout's probability. */
    String drawPrompt(DiffusionExample example, CheckpointableRandom random) {
        CaptionStyle style = mix.pick(random.nextDouble());
        boolean dropped = random.nextDouble() < promptDropout;
        return dropped ? "" : example.caption(style);
    }

    Batch next(NDManager manager, DiffusionModel model, int batchSize, CheckpointableRandom random) {
        return next(manager, model, batchSize, random, foregroundWeight);
    }

    /** A batch whose loss weights use {@code foregroundWeight} instead of the constructor's (a scheduled weight). */
    Batch next(NDManager manager, DiffusionModel model, int batchSize, CheckpointableRandom random,
            float foregroundWeight) {
        NoiseSchedule schedule = model.getSchedule();
        int size = model.getConfig().imageSize();
        List<BufferedImage> images = new ArrayList<>(batchSize);
        List<String> prompts = new ArrayList<>(batchSize);
        float[] timesteps = new float[batchSize];
        float[] signal = new float[batchSize];
        float[] noiseLevel = new float[batchSize];
        float[] noise = new float[batchSize * 3 * size * size];
        float[] rowNoise = new float[3 * size * size];
        for (int row = 0; row < batchSize; row++) {
            DiffusionExample example = examples.get(random.nextInt(examples.size()));
            prompts.add(drawPrompt(example, random));
            int t = random.nextInt(schedule.steps());
            random.fillGaussian(rowNoise);
            images.add(example.image());
            timesteps[row] = t;
            signal[row] = schedule.signal(t);
            noiseLevel[row] = schedule.noise(t);
            System.arraycopy(rowNoise, 0, noise, row * rowNoise.length, rowNoise.length);
        }
        NDArray clean = ImageTensors.toTensor(manager, images, size);
        NDArray epsilon = manager.create(noise, clean.getShape());
        NDArray a = manager.create(signal, new Shape(batchSize, 1, 1, 1));
        NDArray s = manager.create(noiseLevel, new Shape(batchSize, 1, 1, 1));
        NDArray noisy = clean.mul(a).add(epsilon.mul(s));
        NDArray target = model.getConfig().prediction().target(clean, epsilon, a, s);
        NDArray weights = foregroundWeight > 1f
                ? manager.create(foregroundWeights(images, size, foregroundWeight), new Shape(batchSize, 1, size, size))
                : null;
        return new Batch(noisy, manager.create(timesteps), model.tokenize(manager, prompts), target, weights);
    }

    /**
     * How far (sum of absolute RGB differences, 0..765) a pixel may be from the most common colour
     * and still count as background: JPEG-like noise and faint anti-aliasing stay background.
     */
    static final int BACKGROUND_TOLERANCE = 24;

    /** Per pixel: {@code weight} where the pixel differs from the image's most common colour, else 1. */
    static float[] foregroundWeights(List<BufferedImage> images, int size, float weight) {
        int plane = size * size;
        float[] weights = new float[images.size() * plane];
        int[] argb = new int[plane];
        for (int b = 0; b < images.size(); b++) {
            ImageTensors.resized(images.get(b), size).getRGB(0, 0, size, size, argb, 0, size);
            int mode = DominantColour.of(argb, 0xFFFFFF);
            for (int p = 0; p < plane; p++) {
                int distance = DominantColour.distance(argb[p], mode);
                weights[b * plane + p] = distance > BACKGROUND_TOLERANCE ? weight : 1f;
            }
        }
        return weights;
    }
}
