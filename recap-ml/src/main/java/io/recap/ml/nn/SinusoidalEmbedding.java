package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Fixed sinusoidal embeddings (Vaswani et al., 2017): dimension pairs hold sin and cos of the
 * value at geometrically spaced frequencies. Used for diffusion time steps, where the value is
 * continuous, and wherever a parameter-free position code is wanted.
 */
public final class SinusoidalEmbedding {

    private SinusoidalEmbedding() {
    }

    /**
     * Embeds each value of a (B) array into (B, dimension): first half sines, second half
     * cosines, frequencies from 1 down to 1/maxPeriod.
     */
    public static NDArray embed(NDArray values, int dimension, float maxPeriod) {
        if (dimension % 2 != 0) {
            throw new IllegalArgumentException("dimension must be even: " + dimension);
        }
        int half = dimension / 2;
        NDManager manager = values.getManager();
        NDArray frequencies = manager.arange(0, half, 1, DataType.FLOAT32)
                .mul(-Math.log(maxPeriod) / half).exp();
        NDArray angles = values.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(frequencies.reshape(1, half));
        return angles.sin().concat(angles.cos(), 1);
    }

    /** Embedding of positions 0 .. length-1, shaped (length, dimension). */
    public static NDArray positions(NDManager manager, int length, int dimension) {
        return embed(manager.arange(0, length, 1, DataType.FLOAT32), dimension, 10_000f);
    }
}
