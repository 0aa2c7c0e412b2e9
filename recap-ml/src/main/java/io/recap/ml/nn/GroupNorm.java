package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Group normalisation (Wu and He, 2018) over inputs shaped (B, C, ...): channels are split
 * into groups, each group is normalised over its channels and spatial positions, then a
 * learned per-channel scale and shift is applied.
 */
public class GroupNorm extends AbstractBlock {

    private final int groups;
    private final int channels;
    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    /** Creates a group norm over {@code channels}, which {@code groups} must divide. */
    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5f);
    }

    public GroupNorm(int groups, int channels, float epsilon) {
        if (groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException(groups + " groups do not divide " + channels + " channels");
        }
        this.groups = groups;
        this.channels = channels;
        this.epsilon = epsilon;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    /** The usual choice: 8 groups when they divide the channels, fewer otherwise. */
    public static GroupNorm forChannels(int channels) {
        int groups = Math.min(8, channels);
        while (channels % groups != 0) {
            groups--;
        }
        return new GroupNorm(groups, channels);
    }

    public int getGroups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(normalize(parameterStore, inputs.singletonOrThrow(), training, false));
    }

    /**
     * {@code SiLU(GN(x))}, what residual blocks and conv stages apply: one fused kernel for both
     * where {@link TorchKernels} run.
     */
    public NDArray normalizeThenSilu(ParameterStore parameterStore, NDArray x, boolean training) {
        return normalize(parameterStore, x, training, true);
    }

    private NDArray normalize(ParameterStore parameterStore, NDArray x, boolean training, boolean silu) {
        NDArray scale = parameterStore.getValue(gamma, x.getDevice(), training);
        NDArray shift = parameterStore.getValue(beta, x.getDevice(), training);
        TorchKernels kernels = TorchKernels.get();
        if (kernels != null && kernels.supportsGroupNorm(groups, epsilon)) {
            return kernels.groupNorm(x, scale, shift, groups, silu);
        }
        NDArray normed = layerNormGroups(x).mul(perChannel(scale, x)).add(perChannel(shift, x));
        return silu ? Activations.silu(normed) : normed;
    }

    private NDArray perChannel(NDArray values, NDArray x) {
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        return values.reshape(shape);
    }

    /** The DJL-op form: every group normalised by a layer norm, no scale or shift yet. */
    private NDArray layerNormGroups(NDArray x) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long groupSize = shape.size() / batch / groups;
        NDArray grouped = x.reshape(batch, groups, groupSize);
        // DJL has no group norm; layer norm over the last axis of (B, G, C/G * spatial) is one. Its
        // unit weights are constants, not arrays allocated on every call.
        Shape normalized = new Shape(groupSize);
        return LayerNorm.layerNorm(grouped, normalized, ConstantArrays.ones(x, normalized),
                ConstantArrays.zeros(x, normalized), epsilon).singletonOrThrow().reshape(shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
