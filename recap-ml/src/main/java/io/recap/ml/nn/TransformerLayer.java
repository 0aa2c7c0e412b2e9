package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pre-norm transformer layer: {@code x += SelfAttn(LN(x))}, optionally
 * {@code x += CrossAttn(LN(x), context)}, then {@code x += MLP(LN(x))}, with dropout on each
 * residual branch. Pre-norm keeps training stable without a long learning-rate warm-up.
 *
 * <p>Inputs: {@code (x)} or, with cross-attention, {@code (x, context)}; x is (B, T, D) and
 * context is (B, N, Dc). Output: (B, T, D). An optional last input is an additive key bias
 * (see {@link MultiHeadAttention#keyBias}) that hides padding: {@code (x, xKeyBias)} masks the
 * self-attention of a layer without cross-attention, {@code (x, context, contextKeyBias)} masks
 * the cross-attention of one with it.
 */
public class TransformerLayer extends AbstractBlock {

    private final int width;
    private float dropout;
    private final boolean crossAttends;
    private final LayerNorm selfNorm;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm crossNorm;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm mlpNorm;
    private final Linear mlpIn;
    private final Linear mlpOut;

    /**
     * @param width model width D
     * @param heads attention heads; must divide D
     * @param mlpRatio hidden width of the MLP as a multiple of D
     * @param dropout rate on each residual branch during training
     * @param causal whether self-attention hides later positions
     * @param crossAttends whether the layer attends to a second input sequence
     */
    public TransformerLayer(int width, int heads, int mlpRatio, float dropout, boolean causal, boolean crossAttends) {
        this.width = width;
        this.dropout = dropout;
        this.crossAttends = crossAttends;
        // Axis 2 of (B, T, D): DJL's LayerNorm does not accept negative axes.
        selfNorm = addChildBlock("selfNorm", LayerNorm.builder().axis(2).build());
        selfAttention = addChildBlock("selfAttention", MultiHeadAttention.selfAttention(width, heads, causal));
        if (crossAttends) {
            crossNorm = addChildBlock("crossNorm", LayerNorm.builder().axis(2).build());
            crossAttention = addChildBlock("crossAttention", MultiHeadAttention.crossAttention(width, heads));
        } else {
            crossNorm = null;
            crossAttention = null;
        }
        mlpNorm = addChildBlock("mlpNorm", LayerNorm.builder().axis(2).build());
        mlpIn = addChildBlock("mlpIn", new FusedLinear((long) width * mlpRatio));
        mlpOut = addChildBlock("mlpOut", new FusedLinear(width));
    }

    /** A text-decoder layer: causal self-attention plus cross-attention to image features. */
    public static TransformerLayer decoder(int width, int heads, float dropout) {
        return new TransformerLayer(width, heads, 4, dropout, true, true);
    }

    /** A self-attention-only layer, for text encoders. */
    public static TransformerLayer encoder(int width, int heads, float dropout, boolean causal) {
        return new TransformerLayer(width, heads, 4, dropout, causal, false);
    }

    /** Changes the residual dropout rate; takes effect on the next training forward pass. */
    public void setDropout(float rate) {
        if (rate < 0 || rate >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + rate);
        }
        this.dropout = rate;
    }

    public float getDropout() {
        return dropout;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray normed = selfNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        NDList selfInputs = !crossAttends && inputs.size() > 1
                ? new NDList(normed, normed, inputs.get(1))
                : new NDList(normed);
        NDArray attended = selfAttention.forward(parameterStore, selfInputs, training).singletonOrThrow();
        x = x.add(drop(attended, training));

        if (crossAttends) {
            NDArray context = inputs.get(1);
            normed = crossNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            NDList crossInputs = inputs.size() > 2
                    ? new NDList(normed, context, inputs.get(2))
                    : new NDList(normed, context);
            attended = crossAttention.forward(parameterStore, crossInputs, training).singletonOrThrow();
            x = x.add(drop(attended, training));
        }

        normed = mlpNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        NDArray hidden = Activation.gelu(mlpIn.forward(parameterStore, new NDList(normed), training)
                .singletonOrThrow());
        NDArray mlp = mlpOut.forward(parameterStore, new NDList(hidden), training).singletonOrThrow();
        return new NDList(x.add(drop(mlp, training)));
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        selfNorm.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x);
        if (crossAttends) {
            crossNorm.initialize(manager, dataType, x);
            crossAttention.initialize(manager, dataType, x, inputShapes[1]);
        }
        mlpNorm.initialize(manager, dataType, x);
        mlpIn.initialize(manager, dataType, x);
        mlpOut.initialize(manager, dataType, mlpIn.getOutputShapes(new Shape[] {x})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width)};
    }
}
