package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recap.ml.nn.MultiHeadAttention;
import io.recap.ml.nn.PositionEmbedding;
import io.recap.ml.nn.TokenEmbedding;
import io.recap.ml.nn.TransformerLayer;
import io.recap.ml.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * The learned text encoder (CLIP's role in Stable Diffusion): token and position embeddings,
 * bidirectional pre-norm transformer layers whose attention skips padding, a final layer norm.
 *
 * <p>Input: right-padded token ids (B, L), L &lt;= context length. Output: {@code (tokens, keyBias)}
 * with tokens (B, L, D) for the UNet's cross-attention and the (B, L) additive bias that keeps
 * that attention off the padding too.
 */
public class TextEncoder extends AbstractBlock {

    private final int width;
    private final TokenEmbedding tokenEmbedding;
    private final PositionEmbedding positionEmbedding;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    public TextEncoder(int vocabularySize, int width, int layerCount, int heads, int contextLength) {
        this.width = width;
        tokenEmbedding = addChildBlock("tokenEmbedding", new TokenEmbedding(vocabularySize, width));
        positionEmbedding = addChildBlock("positionEmbedding", new PositionEmbedding(contextLength, width));
        for (int i = 0; i < layerCount; i++) {
            layers.add(addChildBlock("layer" + i, TransformerLayer.encoder(width, heads, 0f, false)));
        }
        finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(2).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray keyBias = MultiHeadAttention.keyBias(ids, Vocabulary.PAD_ID);
        NDList x = tokenEmbedding.forward(parameterStore, new NDList(ids), training);
        x = positionEmbedding.forward(parameterStore, x, training);
        for (TransformerLayer layer : layers) {
            x = layer.forward(parameterStore, new NDList(x.singletonOrThrow(), keyBias), training);
        }
        NDArray tokens = finalNorm.forward(parameterStore, x, training).singletonOrThrow();
        return new NDList(tokens, keyBias);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0];
        Shape embedded = ids.add(width);
        tokenEmbedding.initialize(manager, dataType, ids);
        positionEmbedding.initialize(manager, dataType, embedded);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, embedded, ids);
        }
        finalNorm.initialize(manager, dataType, embedded);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0];
        return new Shape[] {ids.add(width), ids};
    }
}
