package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.training.CheckpointableRandom;

/**
 * Starting noise for sampling: image i of a call draws from its own stream seeded by (seed, i), so an image does
 * not depend on which other images share its batch.
 */
final class SeededNoise {

    private SeededNoise() {
    }

    /** Standard normal noise (to - from, channels, size, size) for images {@code from..to-1}. */
    static NDArray gaussian(NDManager manager, long seed, int from, int to, int channels, int size) {
        int perImage = channels * size * size;
        float[] values = new float[(to - from) * perImage];
        float[] image = new float[perImage];
        for (int i = from; i < to; i++) {
            new CheckpointableRandom(CheckpointableRandom.derive(seed, i)).fillGaussian(image);
            System.arraycopy(image, 0, values, (i - from) * perImage, perImage);
        }
        return manager.create(values, new Shape(to - from, channels, size, size));
    }
}
