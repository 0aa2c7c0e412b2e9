package io.recap.ml.nn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/**
 * Gives weights an initializer and initialises a block, or starts one from another block's weights.
 * DJL leaves {@code WEIGHT} parameters (linear and convolution kernels) without a default; biases,
 * norms and our own tables have one.
 */
public final class BlockInitialization {

    private BlockInitialization() {
    }

    /** Xavier-initialises weights, then every parameter not yet initialised. */
    public static void initialize(Block block, NDManager manager, Shape... inputShapes) {
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShapes);
    }

    /**
     * Overwrites every parameter of {@code target} with a copy of the same-named parameter of
     * {@code source}; both blocks must be initialised and built alike (same names, same shapes).
     */
    public static void copyParameters(Block source, Block target) {
        PairList<String, Parameter> from = source.getParameters();
        PairList<String, Parameter> to = target.getParameters();
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("blocks differ: " + from.size() + " vs " + to.size() + " parameters");
        }
        for (int i = 0; i < to.size(); i++) {
            Pair<String, Parameter> a = from.get(i);
            Pair<String, Parameter> b = to.get(i);
            if (!a.getKey().equals(b.getKey())
                    || !a.getValue().getArray().getShape().equals(b.getValue().getArray().getShape())) {
                throw new IllegalArgumentException("blocks differ at " + a.getKey() + " "
                        + a.getValue().getArray().getShape() + " vs " + b.getKey() + " "
                        + b.getValue().getArray().getShape());
            }
        }
        // Checked in full first, so a mismatch leaves the target as it was.
        for (int i = 0; i < to.size(); i++) {
            to.get(i).getValue().getArray().set(new NDIndex("..."), from.get(i).getValue().getArray());
        }
    }
}
