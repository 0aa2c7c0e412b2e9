package io.recap.ml.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;

/**
 * Gives weights an initializer and initialises a block. DJL leaves {@code WEIGHT} parameters
 * (linear and convolution kernels) without a default; biases, norms and our own tables have one.
 */
public final class BlockInitialization {

    private BlockInitialization() {
    }

    /** Xavier-initialises weights, then every parameter not yet initialised. */
    public static void initialize(Block block, NDManager manager, Shape... inputShapes) {
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShapes);
    }
}
