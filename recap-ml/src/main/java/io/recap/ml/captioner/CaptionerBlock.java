package io.recap.ml.captioner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recap.ml.nn.ConvImageEncoder;
import io.recap.ml.nn.FusedLinear;
import io.recap.ml.nn.PositionEmbedding;
import io.recap.ml.nn.TokenEmbedding;
import io.recap.ml.nn.TransformerLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The captioner network. Forward: {@code (images (B, 3, S, S), tokens (B, T))} to next-token
 * logits (B, T, V). Decoding calls {@link #encodeImages} once and {@link #decode} per step.
 */
public class CaptionerBlock extends AbstractBlock {

    private final CaptionerConfig config;
    private final int vocabularySize;
    private final ConvImageEncoder imageEncoder;
    private final TokenEmbedding tokenEmbedding;
    private final PositionEmbedding positionEmbedding;
    private final List<TransformerLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final Linear head;

    public CaptionerBlock(CaptionerConfig config, int vocabularySize) {
        this.config = config;
        this.vocabularySize = vocabularySize;
        imageEncoder = addChildBlock("imageEncoder", new ConvImageEncoder(
                config.imageSize(), config.gridSize(), config.encoderChannels(), config.width()));
        tokenEmbedding = addChildBlock("tokenEmbedding", new TokenEmbedding(vocabularySize, config.width()));
        positionEmbedding = addChildBlock("positionEmbedding",
                new PositionEmbedding(config.maxTokens(), config.width()));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i,
                    TransformerLayer.decoder(config.width(), config.heads(), config.dropout())));
        }
        finalNorm = addChildBlock("finalNorm", LayerNorm.builder().axis(2).build());
        head = addChildBlock("head", new FusedLinear(vocabularySize));
    }

    /** Changes the training dropout of every decoder layer, e.g. for a fine-tuning preset. */
    public void setDropout(float rate) {
        layers.forEach(layer -> layer.setDropout(rate));
    }

    /**
     * Freezes (or unfreezes) every parameter whose path contains one of {@code parts}, e.g.
     * {@code imageEncoder} (keep the pretrained visual features) or {@code crossAttention}; a
     * fine-tuning then trains only the rest. DJL unfreezes every parameter of a loaded model when it
     * creates a trainer, so set this after that ({@link CaptionerTrainer#freeze} does). Returns how
     * many parameters matched.
     */
    public int setFrozen(java.util.Collection<String> parts, boolean frozen) {
        int matched = 0;
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> parameter : getParameters()) {
            if (parts.stream().anyMatch(parameter.getKey()::contains)) {
                parameter.getValue().freeze(frozen);
                matched++;
            }
        }
        return matched;
    }

    /** Starts token {@code to}'s embedding as a copy of token {@code from}'s. */
    public void copyTokenEmbedding(int from, int to) {
        tokenEmbedding.copyEmbedding(from, to);
    }

    /** Image tokens (B, G*G, D) for images (B, 3, S, S) in [-1, 1]. */
    public NDArray encodeImages(ParameterStore parameterStore, NDArray images, boolean training) {
        return imageEncoder.forward(parameterStore, new NDList(images), training).singletonOrThrow();
    }

    /** Next-token logits (B, T, V) for int64 tokens (B, T), attending to image tokens (B, N, D). */
    public NDArray decode(ParameterStore parameterStore, NDArray imageTokens, NDArray tokens, boolean training) {
        NDList x = tokenEmbedding.forward(parameterStore, new NDList(tokens), training);
        x = positionEmbedding.forward(parameterStore, x, training);
        for (TransformerLayer layer : layers) {
            x = layer.forward(parameterStore, new NDList(x.singletonOrThrow(), imageTokens), training);
        }
        x = finalNorm.forward(parameterStore, x, training);
        return head.forward(parameterStore, x, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray imageTokens = encodeImages(parameterStore, inputs.get(0), training);
        return new NDList(decode(parameterStore, imageTokens, inputs.get(1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape images = inputShapes[0];
        Shape tokens = inputShapes[1];
        imageEncoder.initialize(manager, dataType, images);
        Shape imageTokens = imageEncoder.getOutputShapes(new Shape[] {images})[0];
        tokenEmbedding.initialize(manager, dataType, tokens);
        Shape sequence = tokenEmbedding.getOutputShapes(new Shape[] {tokens})[0];
        positionEmbedding.initialize(manager, dataType, sequence);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, sequence, imageTokens);
        }
        finalNorm.initialize(manager, dataType, sequence);
        head.initialize(manager, dataType, sequence);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[1];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1), vocabularySize)};
    }

    public CaptionerConfig getConfig() {
        return config;
    }
}
