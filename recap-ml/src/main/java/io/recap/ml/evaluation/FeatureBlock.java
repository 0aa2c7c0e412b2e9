package io.recap.ml.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recap.ml.nn.ConvImageEncoder;
import io.recap.ml.nn.FusedLinear;

/**
 * The feature network's layers: a {@link ConvImageEncoder} whose grid tokens are averaged into one
 * feature vector (Inception's pool features), and a linear head scoring each label. Input images
 * (B, 3, S, S) in [-1, 1]; outputs {@code (features (B, D), label logits (B, L))}.
 */
final class FeatureBlock extends AbstractBlock {

    private final int width;
    private final int labelCount;
    private final ConvImageEncoder encoder;
    private final Linear head;

    FeatureBlock(int imageSize, int width, int labelCount) {
        this.width = width;
        this.labelCount = labelCount;
        // A 4x4 token grid at 32x32, as the contrastive image tower: each token sees about one scene cell.
        encoder = addChildBlock("encoder", new ConvImageEncoder(imageSize, Math.max(1, imageSize / 8), 16, width));
        head = addChildBlock("head", new FusedLinear(labelCount));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = encoder.forward(parameterStore, inputs, training).singletonOrThrow().mean(new int[] {1});
        NDArray logits = head.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        return new NDList(features, logits);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, width), new Shape(batch, labelCount)};
    }
}
