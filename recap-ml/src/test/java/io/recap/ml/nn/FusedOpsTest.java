package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.maxAbsDifference;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** The fewer-op forms of the shared layers compute what DJL's own forms compute, to float tolerance. */
class FusedOpsTest {

    @Test
    void fusedLinearGivesDjlLinearsOutputsAndGradientsForThreeDimensionalInputs() {
        try (NDManager manager = newManager()) {
            Shape shape = new Shape(3, 5, 8);
            Linear plain = initialized(Linear.builder().setUnits(6).build(), manager, shape);
            FusedLinear fused = initialized(new FusedLinear(6), manager, shape);
            for (Pair<String, Parameter> parameter : plain.getParameters()) {
                fused.getParameters().get(parameter.getKey()).getArray().set(parameter.getValue().getArray().toFloatArray());
            }
            // A transposed view too: not contiguous, as the spatial transformer's pixel tokens are.
            for (NDArray x : new NDArray[] {manager.randomNormal(shape), manager.randomNormal(new Shape(3, 8, 5))
                    .transpose(0, 2, 1)}) {
                NDArray expected = gradients(plain, x, manager);
                NDArray actual = gradients(fused, x, manager);
                assertThat(actual.getShape()).isEqualTo(expected.getShape());
                assertThat(maxAbsDifference(actual, expected)).isLessThan(1e-5f);
            }
        }
    }

    /** The block's output on x, then its weight and bias gradients of sum(output^2), all flattened. */
    private static NDArray gradients(Linear block, NDArray x, NDManager manager) {
        ParameterStore parameters = new ParameterStore(manager, false);
        NDArray out;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            out = block.forward(parameters, new NDList(x), true).singletonOrThrow();
            collector.backward(out.square().sum());
        }
        NDArray weight = block.getParameters().get("weight").getArray().getGradient();
        NDArray bias = block.getParameters().get("bias").getArray().getGradient();
        NDArray all = out.flatten().concat(weight.flatten()).concat(bias.flatten());
        block.getParameters().forEach(p -> p.getValue().getArray().getGradient().set(new NDIndex("..."), 0f));
        return all;
    }

    @Test
    void siluIsDjlsSwishWithBetaOne() {
        try (NDManager manager = newManager()) {
            NDArray x = manager.linspace(-8f, 8f, 101);
            assertThat(maxAbsDifference(Activations.silu(x), Activation.swish(x, 1f))).isZero();
        }
    }

    @Test
    void nearestUpsamplingIsTheBroadcastItReplaced() {
        try (NDManager manager = newManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 4, 5));
            NDArray broadcast = x.reshape(2, 3, 4, 1, 5, 1).broadcast(2, 3, 4, 2, 5, 2).reshape(2, 3, 8, 10);
            assertThat(maxAbsDifference(run(new NearestUpsample2x(), manager, x), broadcast)).isZero();
        }
    }

    @Test
    void aConstantMadeInsideAScopeOutlivesTheScopeAndIsSharedByLaterCalls() {
        try (NDManager manager = newManager()) {
            NDArray like = manager.zeros(new Shape(1));
            NDArray made;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                made = ConstantArrays.scalar(like, 0.123f);
            }
            assertThat(made.isReleased()).isFalse();
            assertThat(made.getFloat()).isEqualTo(0.123f);
            assertThat(ConstantArrays.scalar(like, 0.123f)).isSameAs(made);
            assertThat(ConstantArrays.ones(like, new Shape(3)).toFloatArray()).containsExactly(1f, 1f, 1f);
        }
    }
}
