package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Nearest-neighbour 2x upsampling of (B, C, H, W) to (B, C, 2H, 2W); DJL has no upsample block. */
public class NearestUpsample2x extends AbstractBlock {

    /** Upsamples without a block, for code that is not a block itself. */
    public static NDArray upsample(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, h * 2, w * 2);
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
