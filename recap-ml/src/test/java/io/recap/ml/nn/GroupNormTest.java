package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class GroupNormTest {

    @Test
    void normalisesEachGroupToZeroMeanAndUnitVariance() {
        try (NDManager manager = newManager()) {
            Shape shape = new Shape(2, 8, 4, 4);
            // Each channel has its own offset and scale, so groups start far from N(0, 1).
            NDArray offsets = manager.arange(8f).reshape(1, 8, 1, 1);
            NDArray x = manager.randomNormal(shape).mul(offsets.add(1)).add(offsets.mul(3));
            GroupNorm norm = initialized(new GroupNorm(4, 8), manager, shape);

            NDArray y = run(norm, manager, x).reshape(2, 4, 32);

            float[] means = y.mean(new int[] {2}).toFloatArray();
            float[] variances = y.sub(y.mean(new int[] {2}, true)).square().mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < means.length; i++) {
                assertThat(means[i]).isCloseTo(0f, within(1e-4f));
                assertThat(variances[i]).isCloseTo(1f, within(1e-3f));
            }
        }
    }

    @Test
    void appliesLearnedPerChannelScaleAndShift() {
        try (NDManager manager = newManager()) {
            Shape shape = new Shape(1, 4, 2, 2);
            GroupNorm norm = initialized(new GroupNorm(2, 4), manager, shape);
            norm.getParameters().get("gamma").getArray().set(new float[] {1, 2, 3, 4});
            norm.getParameters().get("beta").getArray().set(new float[] {0, 0, 0, 10});

            NDArray y = run(norm, manager, manager.randomNormal(shape));

            NDArray lastChannel = y.get(new NDIndex("0, 3"));
            assertThat(lastChannel.mean().getFloat()).isCloseTo(10f, within(4f));
            assertThat(y.get(new NDIndex("0, 0")).abs().max().getFloat()).isLessThan(3f);
        }
    }

    @Test
    void refusesGroupsThatDoNotDivideChannels() {
        assertThatThrownBy(() -> new GroupNorm(3, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GroupNorm.forChannels(12).getGroups()).isEqualTo(6);
        assertThat(GroupNorm.forChannels(64).getGroups()).isEqualTo(8);
    }
}
