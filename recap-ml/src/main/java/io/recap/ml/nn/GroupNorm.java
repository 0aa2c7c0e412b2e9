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
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long groupSize = shape.size() / batch / groups;
        NDArray grouped = x.reshape(batch, groups, groupSize);
        // DJL has no group norm; layer norm over the last axis of (B, G, C/G * spatial) is one. Its
        // unit weights are constants, not arrays allocated on every call.
        Shape normalized = new Shape(groupSize);
        NDArray normed = LayerNorm.layerNorm(grouped, normalized, ConstantArrays.ones(x, normalized),
                ConstantArrays.zeros(x, normalized), epsilon).singletonOrThrow().reshape(shape);
        long[] perChannel = new long[shape.dimension()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        NDArray scale = parameterStore.getValue(gamma, x.getDevice(), training);
        NDArray shift = parameterStore.getValue(beta, x.getDevice(), training);
        return new NDList(normed.mul(scale.reshape(perChannel)).add(shift.reshape(perChannel)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
