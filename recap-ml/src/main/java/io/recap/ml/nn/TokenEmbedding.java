package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/** Maps int64 token ids (B, T) to vectors (B, T, D) through a learned table. */
public class TokenEmbedding extends AbstractBlock {

    private final int width;
    private final Parameter table;

    public TokenEmbedding(int vocabularySize, int width) {
        this.width = width;
        table = addParameter(Parameter.builder().setName("table").setType(Parameter.Type.OTHER)
                .optShape(new Shape(vocabularySize, width))
                .optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.singletonOrThrow();
        NDArray weights = parameterStore.getValue(table, tokens.getDevice(), training);
        return Embedding.embedding(tokens, weights, SparseFormat.DENSE);
    }

    /**
     * Copies the embedding of token {@code from} onto token {@code to} (for example, a new style
     * token starts out as an existing one). The table must be initialised.
     */
    public void copyEmbedding(int from, int to) {
        NDArray weights = table.getArray();
        try (NDArray row = weights.get(new NDIndex(from))) {
            weights.set(new NDIndex(to), row);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(width)};
    }
}
