package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Linear} (same parameters, names, initialisation and saved form) computed as one
 * fused matrix multiply-add for inputs of any rank.
 *
 * <p>DJL's PyTorch engine calls libtorch's C++ {@code functional::linear}, which fuses the bias
 * into the multiply ({@code addmm}) only for 2-D inputs; a (B, T, D) input costs a transpose, a
 * batched {@code matmul} and a separate in-place bias add, forward and backward. Folding the
 * leading axes into one (a view for contiguous inputs) takes the fused path.
 */
public class FusedLinear extends Linear {

    public FusedLinear(long units) {
        super(Linear.builder().setUnits(units));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Shape shape = input.getShape();
        if (shape.dimension() <= 2) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        long features = shape.get(shape.dimension() - 1);
        NDArray out = super.forwardInternal(parameterStore, new NDList(input.reshape(-1, features)), training, params)
                .singletonOrThrow();
        return new NDList(out.reshape(shape.slice(0, shape.dimension() - 1).add(out.getShape().get(1))));
    }
}
