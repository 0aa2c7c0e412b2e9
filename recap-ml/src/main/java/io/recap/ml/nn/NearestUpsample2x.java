package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Nearest-neighbour 2x upsampling of (B, C, H, W) to (B, C, 2H, 2W); DJL has no upsample block. */
public class NearestUpsample2x extends AbstractBlock {

    /** DJL's interpolation mode for nearest neighbour (PyTorch's {@code mode='nearest'}). */
    private static final int NEAREST = 0;

    /** Upsamples without a block, for code that is not a block itself. */
    public static NDArray upsample(NDArray x) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        // One native op (PyTorch's upsample_nearest2d, forward and backward) instead of reshape,
        // broadcast and a copying reshape.
        return x.getNDArrayInternal().interpolation(new long[] {h * 2, w * 2}, NEAREST, false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(upsample(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2)};
    }
}
