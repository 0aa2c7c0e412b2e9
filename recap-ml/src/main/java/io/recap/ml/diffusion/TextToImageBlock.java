package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Text encoder and UNet as one block, so that one optimizer trains both (the RECAP paper
 * fine-tunes the text encoder too) and one parameter file holds them.
 *
 * <p>Inputs: {@code (x, t, tokenIds)}: noisy images (B, 3, S, S), float time steps (B) and
 * right-padded token ids (B, L). Output: the UNet's prediction (B, 3, S, S). Samplers call
 * {@link #encodeText} once and {@link #denoise} at every step instead.
 */
public class TextToImageBlock extends AbstractBlock {

    private final DiffusionConfig config;
    private final TextEncoder textEncoder;
    private final ConditionalUNet unet;

    public TextToImageBlock(DiffusionConfig config, int vocabularySize) {
        this.config = config;
        textEncoder = addChildBlock("textEncoder", new TextEncoder(vocabularySize, config.textWidth(),
                config.textLayers(), config.textHeads(), config.contextLength()));
        unet = addChildBlock("unet", new ConditionalUNet(config));
    }

    public DiffusionConfig getConfig() {
        return config;
    }

    /** The text encoder, for weights that start it (see {@link ContrastiveTextPretraining}). */
    TextEncoder textEncoder() {
        return textEncoder;
    }

    /** Text tokens (B, L, D) and their key bias (B, L) for token ids (B, L). */
    public NDList encodeText(ParameterStore parameterStore, NDArray tokenIds, boolean training) {
        return textEncoder.forward(parameterStore, new NDList(tokenIds), training);
    }

    /** The UNet's prediction for noisy images x at time steps t (B), given encoded text. */
    public NDArray denoise(ParameterStore parameterStore, NDArray x, NDArray t, NDList text, boolean training) {
        return unet.forward(parameterStore, new NDList(x, t, text.get(0), text.get(1)), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList text = encodeText(parameterStore, inputs.get(2), training);
        return new NDList(denoise(parameterStore, inputs.get(0), inputs.get(1), text, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[2];
        textEncoder.initialize(manager, dataType, ids);
        Shape[] text = textEncoder.getOutputShapes(new Shape[] {ids});
        unet.initialize(manager, dataType, inputShapes[0], inputShapes[1], text[0], text[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
