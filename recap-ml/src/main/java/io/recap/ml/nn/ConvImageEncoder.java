package io.recap.ml.nn;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A small convolutional image encoder that turns (B, 3, S, S) images into a sequence of
 * grid tokens (B, G*G, D) for cross-attention.
 *
 * <p>A stem convolution is followed by log2(S / G) stages, each a stride-2 convolution and a
 * residual 3x3 refinement (all with group norm and SiLU); the G x G feature map is projected
 * to width D, given a learned 2D position ({@link GridPositions}) so attention knows where
 * each token lies, and layer-normalised.
 */
public class ConvImageEncoder extends AbstractBlock {

    private final int imageSize;
    private final int gridSize;
    private final int width;
    private final ConvNormActivation stem;
    private final List<ConvNormActivation> downsamples = new ArrayList<>();
    private final List<ConvNormActivation> refinements = new ArrayList<>();
    private final Linear projection;
    private final GridPositions positions;
    private final LayerNorm outputNorm;

    /**
     * @param imageSize input height and width S (a power-of-two multiple of gridSize)
     * @param gridSize side G of the output token grid
     * @param baseChannels channels after the stem; stages double it, up to 4x
     * @param width token width D
     */
    public ConvImageEncoder(int imageSize, int gridSize, int baseChannels, int width) {
        int stages = Integer.numberOfTrailingZeros(imageSize / Math.max(1, gridSize));
        if (gridSize <= 0 || imageSize % gridSize != 0 || gridSize << stages != imageSize) {
            throw new IllegalArgumentException(
                    "image size " + imageSize + " is not a power-of-two multiple of grid " + gridSize);
        }
        this.imageSize = imageSize;
        this.gridSize = gridSize;
        this.width = width;
        stem = addChildBlock("stem", new ConvNormActivation(baseChannels, 1));
        for (int i = 0; i < stages; i++) {
            int channels = baseChannels * Math.min(2 << i, 4);
            downsamples.add(addChildBlock("down" + i, new ConvNormActivation(channels, 2)));
            refinements.add(addChildBlock("refine" + i, new ConvNormActivation(channels, 1)));
        }
        projection = addChildBlock("projection", new FusedLinear(width));
        // 0.02 here, unlike the UNet's 1: a captioner pretrained with std-1 tables was no better in
        // one run of each (docs/captioner/quality.md: base names every object 87.2% against 90.8%,
        // fine-tuned LONG P/R 0.91/0.83 against 0.92/0.86; two runs of one code differed by 1.8 points).
        positions = new GridPositions(gridSize, width, 0.02f, this::addParameter);
        // Normalises each token over its width (axis 2 of (B, N, D)).
        outputNorm = addChildBlock("outputNorm", LayerNorm.builder().axis(2).build());
    }

    public int getImageSize() {
        return imageSize;
    }

    /** Number of tokens per image, G * G. */
    public int getTokenCount() {
        return gridSize * gridSize;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow();
        if (images.getShape().get(0) == 1) {
            // PyTorch runs a lone small image through its slow native CPU convolution, which
            // also logs "Could not initialize NNPACK" on every call on CPUs without NNPACK;
            // a batch of two takes the oneDNN path. Encode two copies, keep one.
            NDArray pair = images.concat(images, 0);
            NDArray tokens = forwardInternal(parameterStore, new NDList(pair), training, params).singletonOrThrow();
            return new NDList(tokens.get("0:1"));
        }
        NDList x = stem.forward(parameterStore, inputs, training);
        for (int i = 0; i < downsamples.size(); i++) {
            x = downsamples.get(i).forward(parameterStore, x, training);
            NDList refined = refinements.get(i).forward(parameterStore, x, training);
            x = new NDList(x.singletonOrThrow().add(refined.singletonOrThrow()));
        }
        NDArray features = x.singletonOrThrow();
        Shape shape = features.getShape();
        NDArray tokens = features.reshape(shape.get(0), shape.get(1), (long) gridSize * gridSize)
                .transpose(0, 2, 1);
        tokens = projection.forward(parameterStore, new NDList(tokens), training).singletonOrThrow();
        NDArray grid = positions.grid(parameterStore, images.getDevice(), training);
        return outputNorm.forward(parameterStore, new NDList(tokens.add(grid)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        stem.initialize(manager, dataType, shape);
        shape = stem.getOutputShapes(new Shape[] {shape})[0];
        for (int i = 0; i < downsamples.size(); i++) {
            downsamples.get(i).initialize(manager, dataType, shape);
            shape = downsamples.get(i).getOutputShapes(new Shape[] {shape})[0];
            refinements.get(i).initialize(manager, dataType, shape);
        }
        Shape tokens = new Shape(shape.get(0), (long) gridSize * gridSize, shape.get(1));
        projection.initialize(manager, dataType, tokens);
        outputNorm.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) gridSize * gridSize, width)};
    }
}
