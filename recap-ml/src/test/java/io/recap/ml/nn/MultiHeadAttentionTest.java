package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.maxAbsDifference;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MultiHeadAttentionTest {

    private static final Shape SEQUENCE = new Shape(2, 7, 16);

    @Test
    void crossAttentionTakesQueryLengthAndModelWidth() {
        try (NDManager manager = newManager()) {
            Shape context = new Shape(2, 12, 24);
            MultiHeadAttention attention = initialized(
                    MultiHeadAttention.crossAttention(16, 4), manager, SEQUENCE, context);

            NDArray y = run(attention, manager, manager.randomNormal(SEQUENCE), manager.randomNormal(context));

            assertThat(y.getShape()).isEqualTo(SEQUENCE);
            assertThat(attention.getOutputShapes(new Shape[] {SEQUENCE, context})[0]).isEqualTo(SEQUENCE);
        }
    }

    @Test
    void causalMaskHidesLaterPositions() {
        try (NDManager manager = newManager()) {
            MultiHeadAttention attention = initialized(
                    MultiHeadAttention.selfAttention(16, 4, true), manager, SEQUENCE);
            NDArray x = manager.randomNormal(SEQUENCE);
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, 4:"), manager.randomNormal(new Shape(2, 3, 16)).mul(5));

            NDArray before = run(attention, manager, x);
            NDArray after = run(attention, manager, changed);

            assertThat(maxAbsDifference(before.get(":, :4"), after.get(":, :4"))).isLessThan(1e-6f);
            assertThat(maxAbsDifference(before.get(":, 4:"), after.get(":, 4:"))).isGreaterThan(1e-3f);
        }
    }

    @Test
    void withoutMaskEveryPositionSeesTheFuture() {
        try (NDManager manager = newManager()) {
            MultiHeadAttention attention = initialized(
                    MultiHeadAttention.selfAttention(16, 4, false), manager, SEQUENCE);
            NDArray x = manager.randomNormal(SEQUENCE);
            NDArray changed = x.duplicate();
            changed.set(new NDIndex(":, 6"), manager.randomNormal(new Shape(2, 16)).mul(5));

            NDArray difference = run(attention, manager, x).sub(run(attention, manager, changed));

            assertThat(difference.get(":, 0").abs().max().getFloat()).isGreaterThan(1e-3f);
        }
    }

    @Test
    void causalMaskAlignsTheLastQueryWithTheLastKey() {
        try (NDManager manager = newManager()) {
            float[] mask = ConstantArrays.causalMask(manager.zeros(new Shape(1)), 2, 4, -1e9f).toFloatArray();
            // Query 0 is key position 2: it sees keys 0..2, not 3; query 1 sees all four.
            assertThat(mask[2]).isZero();
            assertThat(mask[3]).isNegative();
            assertThat(mask[7]).isZero();
        }
    }
}
