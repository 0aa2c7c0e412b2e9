package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Scaled dot-product multi-head attention.
 *
 * <p>Inputs: {@code (queries)} for self-attention, or {@code (queries, context)} for
 * cross-attention, where queries are (B, Tq, D) and context is (B, Tk, Dc); keys and values
 * come from the context. Output: (B, Tq, D). With {@code causal} set, query i only sees keys
 * j &lt;= i + (Tk - Tq), so a position never looks at later tokens.
 *
 * <p>An optional third input {@code (queries, context, keyBias)} adds a (B, Tk) bias to every
 * query's scores: 0 for keys to attend to and {@link #keyBias large negative} for padding, so
 * padded text positions never draw attention (pass the queries again as context for masked
 * self-attention).
 */
public class MultiHeadAttention extends AbstractBlock {

    /** Large negative instead of -inf: a fully masked row stays finite. */
    private static final float MASKED = -1e9f;

    private final int width;
    private final int heads;
    private final boolean causal;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public MultiHeadAttention(int width, int heads, boolean causal) {
        if (width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide width " + width);
        }
        this.width = width;
        this.heads = heads;
        this.causal = causal;
        query = addChildBlock("query", new FusedLinear(width));
        key = addChildBlock("key", new FusedLinear(width));
        value = addChildBlock("value", new FusedLinear(width));
        output = addChildBlock("output", new FusedLinear(width));
    }

    /** Self-attention; causal when decoding text left to right. */
    public static MultiHeadAttention selfAttention(int width, int heads, boolean causal) {
        return new MultiHeadAttention(width, heads, causal);
    }

    /** Cross-attention: queries from one sequence, keys and values from another. */
    public static MultiHeadAttention crossAttention(int width, int heads) {
        return new MultiHeadAttention(width, heads, false);
    }

    public boolean isCausal() {
        return causal;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray queries = inputs.get(0);
        NDArray context = inputs.size() > 1 ? inputs.get(1) : queries;
        long batch = queries.getShape().get(0);
        long queryLength = queries.getShape().get(1);
        long keyLength = context.getShape().get(1);

        NDArray q = query.forward(parameterStore, new NDList(queries), training).singletonOrThrow();
        NDArray k = key.forward(parameterStore, new NDList(context), training).singletonOrThrow();
        NDArray v = value.forward(parameterStore, new NDList(context), training).singletonOrThrow();
        NDArray mask = null;
        if (causal) {
            mask = ConstantArrays.causalMask(q, queryLength, keyLength, MASKED);
        }
        if (inputs.size() > 2) {
            NDArray keyBias = inputs.get(2).reshape(batch, 1, 1, keyLength);
            mask = mask == null ? keyBias : keyBias.add(mask);
        }
        TorchKernels kernels = TorchKernels.get();
        NDArray attended = kernels != null && kernels.supportsHeads(heads)
                ? kernels.attention(q, k, v, mask, heads)
                : attend(q, k, v, mask, batch, queryLength);
        return output.forward(parameterStore, new NDList(attended), training);
    }

    /** The DJL-op form of {@link TorchKernels#attention}. */
    private NDArray attend(NDArray queries, NDArray keys, NDArray values, NDArray mask, long batch, long queryLength) {
        // Scaling the queries, not the scores: fewer elements whenever keys outnumber head width.
        NDArray q = splitHeads(queries);
        q = q.mul(ConstantArrays.scalar(q, (float) (1.0 / Math.sqrt((double) width / heads))));
        NDArray scores = q.matMul(splitHeads(keys).transpose(0, 1, 3, 2));
        if (mask != null) {
            scores = scores.add(mask);
        }
        return scores.softmax(-1).matMul(splitHeads(values))
                .transpose(0, 2, 1, 3)
                .reshape(batch, queryLength, width);
    }

    /** (B, T, D) to (B, heads, T, D / heads). */
    private NDArray splitHeads(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), heads, width / heads).transpose(0, 2, 1, 3);
    }

    /**
     * The additive key bias of a batch of right-padded sequences: (B, T) float, 0 where the
     * token is real and large negative where it is padding ({@code padId}).
     */
    public static NDArray keyBias(NDArray tokens, long padId) {
        return tokens.eq(padId).toType(DataType.FLOAT32, false).mul(MASKED);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape queryShape = inputShapes[0];
        Shape contextShape = inputShapes.length > 1 ? inputShapes[1] : queryShape;
        query.initialize(manager, dataType, queryShape);
        key.initialize(manager, dataType, contextShape);
        value.initialize(manager, dataType, contextShape);
        output.initialize(manager, dataType, new Shape(queryShape.get(0), queryShape.get(1), width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape queryShape = inputShapes[0];
        return new Shape[] {new Shape(queryShape.get(0), queryShape.get(1), width)};
    }
}
