package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.training.CheckpointableRandom;
import java.util.List;

/**
 * Starting noise for sampling: each row draws from its own stream seeded by (seed, index), so an image does not
 * depend on which other images share its batch.
 */
final class SeededNoise {

    private SeededNoise() {
    }

    /** Standard normal noise (rows, channels, size, size). */
    static NDArray gaussian(NDManager manager, List<NoiseRow> rows, int channels, int size) {
        int perImage = channels * size * size;
        float[] values = new float[rows.size() * perImage];
        float[] image = new float[perImage];
        for (int i = 0; i < rows.size(); i++) {
            NoiseRow row = rows.get(i);
            new CheckpointableRandom(CheckpointableRandom.derive(row.seed(), row.index())).fillGaussian(image);
            System.arraycopy(image, 0, values, i * perImage, perImage);
        }
        return manager.create(values, new Shape(rows.size(), channels, size, size));
    }

    /** Noise for {@code count} rows of one stream family: row i draws from (seed, i). */
    static NDArray gaussian(NDManager manager, long seed, int count, int channels, int size) {
        List<NoiseRow> rows = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(new NoiseRow("", seed, i));
        }
        return gaussian(manager, rows, channels, size);
    }
}
