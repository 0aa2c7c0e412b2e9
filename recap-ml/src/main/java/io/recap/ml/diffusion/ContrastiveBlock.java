package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import io.recap.ml.nn.ConvImageEncoder;
import io.recap.ml.nn.FusedLinear;
import io.recap.ml.text.Vocabulary;

/**
 * CLIP's two towers at our scale: a {@link TextEncoder} and a {@link ConvImageEncoder}, each pooled
 * (masked mean over the caption's tokens, mean over the image's grid tokens), projected and
 * normalised to unit length, compared through a learned temperature. Inputs
 * {@code (images (B, 3, S, S), tokenIds (B, L))}; output the (B, B) similarity logits, text rows
 * against image columns, trained with {@link SymmetricInfoNce}.
 *
 * <p>One implementation serves both uses: the diffusion model's text-encoder pretraining
 * ({@link ContrastiveTextPretraining}) and the frozen CLIP-score evaluator.
 */
public final class ContrastiveBlock extends AbstractBlock {

    private static final float MAX_LOG_SCALE = (float) Math.log(100);

    private final int width;
    private final TextEncoder textEncoder;
    private final ConvImageEncoder imageEncoder;
    private final Linear textProjection;
    private final Linear imageProjection;
    private final Parameter logScale;

    /**
     * @param imageSize side S of the square input images (a power-of-two multiple of S / 8)
     * @param vocabularySize token ids the text encoder embeds
     * @param width text and image token width, also the embedding width
     * @param textLayers transformer layers of the text encoder
     * @param textHeads attention heads per text layer
     * @param contextLength longest token sequence the text encoder reads
     */
    public ContrastiveBlock(int imageSize, int vocabularySize, int width, int textLayers, int textHeads,
            int contextLength) {
        this.width = width;
        textEncoder = addChildBlock("textEncoder",
                new TextEncoder(vocabularySize, width, textLayers, textHeads, contextLength));
        // A 4x4 token grid at 32x32: each token sees about one scene cell and its neighbours.
        int grid = Math.max(1, imageSize / 8);
        imageEncoder = addChildBlock("imageEncoder", new ConvImageEncoder(imageSize, grid, 16, width));
        textProjection = addChildBlock("textProjection", new FusedLinear(width));
        imageProjection = addChildBlock("imageProjection", new FusedLinear(width));
        // CLIP's starting temperature, 1 / 0.07.
        logScale = addParameter(Parameter.builder().setName("logScale").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07)))
                .build());
    }

    public TextEncoder textEncoder() {
        return textEncoder;
    }

    /** Unit-length caption embeddings (B, D) of right-padded token ids (B, L). */
    public NDArray textEmbeddings(ParameterStore parameterStore, NDArray ids, boolean training) {
        NDArray tokens = textEncoder.forward(parameterStore, new NDList(ids), training).get(0);
        // Masked mean over the caption's own tokens (padding excluded).
        NDArray mask = ids.neq(Vocabulary.PAD_ID).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray text = tokens.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        return unit(textProjection.forward(parameterStore, new NDList(text), training).singletonOrThrow());
    }

    /** Unit-length image embeddings (B, D) of images (B, 3, S, S) in [-1, 1]. */
    public NDArray imageEmbeddings(ParameterStore parameterStore, NDArray images, boolean training) {
        NDArray picture = imageEncoder.forward(parameterStore, new NDList(images), training)
                .singletonOrThrow().mean(new int[] {1});
        return unit(imageProjection.forward(parameterStore, new NDList(picture), training).singletonOrThrow());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.get(0);
        NDArray text = textEmbeddings(parameterStore, inputs.get(1), training);
        NDArray picture = imageEmbeddings(parameterStore, images, training);
        NDArray scale = parameterStore.getValue(logScale, images.getDevice(), training)
                .clip(0f, MAX_LOG_SCALE).exp();
        return new NDList(text.matMul(picture.transpose()).mul(scale));
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(1e-6f).sqrt());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape images = inputShapes[0];
        Shape ids = inputShapes[1];
        textEncoder.initialize(manager, dataType, ids);
        imageEncoder.initialize(manager, dataType, images);
        Shape pooled = new Shape(images.get(0), width);
        textProjection.initialize(manager, dataType, pooled);
        imageProjection.initialize(manager, dataType, pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(0))};
    }

    /** CLIP's loss: cross-entropy of each caption over the images and of each image over the captions. */
    public static final class SymmetricInfoNce extends Loss {

        public SymmetricInfoNce() {
            super("symmetric-infonce");
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();
            NDArray diagonal = logits.getManager().eye((int) logits.getShape().get(0));
            NDArray textToImage = logits.logSoftmax(1).mul(diagonal).sum(new int[] {1});
            NDArray imageToText = logits.logSoftmax(0).mul(diagonal).sum(new int[] {0});
            return textToImage.add(imageToText).mean().div(-2f);
        }
    }
}
