package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Learned absolute position embedding added to a (B, T, D) sequence, T &lt;= maxLength
 * (77 for CLIP-sized text contexts).
 */
public class PositionEmbedding extends AbstractBlock {

    private final int maxLength;
    private final Parameter table;

    public PositionEmbedding(int maxLength, int width) {
        this.maxLength = maxLength;
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.OTHER)
                .optShape(new Shape(maxLength, width))
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long length = x.getShape().get(1);
        if (length > maxLength) {
            throw new IllegalArgumentException("sequence of " + length + " exceeds " + maxLength + " positions");
        }
        NDArray positions = parameterStore.getValue(table, x.getDevice(), training);
        return new NDList(x.add(positions.get(new NDIndex(":{}", length))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
