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
    void siluIsDjlsSwishWithBetaOneExactlyInDjlOpsAndToFloatPrecisionInThePyTorchKernel() {
        try (NDManager manager = newManager()) {
            NDArray x = manager.linspace(-8f, 8f, (int) Activations.KERNEL_MIN_ELEMENTS + 1);
            TorchKernels.setEnabled(false);
            assertThat(maxAbsDifference(Activations.silu(x), Activation.swish(x, 1f))).isZero();
            TorchKernels.setEnabled(true);
            assertThat(maxAbsDifference(Activations.silu(x), Activation.swish(x, 1f))).isLessThan(1e-6f);
        } finally {
            TorchKernels.setEnabled(true);
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

    @Test
    void theFusedPyTorchKernelsLoadOnThisEngine() {
        try (NDManager manager = newManager()) {
            assertThat(TorchKernels.isEnabled()).isTrue();
            assertThat(TorchKernels.get()).as("TorchScript kernels compiled by libtorch").isNotNull();
        }
    }

    @Test
    void groupNormKernelsGiveTheDjlOpFormsOutputsAndGradients() {
        try (NDManager manager = newManager()) {
            Shape shape = new Shape(3, 16, 5, 5);
            GroupNorm norm = initialized(GroupNorm.forChannels(16), manager, shape);
            norm.getParameters().get("gamma").getArray().set(manager.randomNormal(new Shape(16)).toFloatArray());
            norm.getParameters().get("beta").getArray().set(manager.randomNormal(new Shape(16)).toFloatArray());
            NDArray x = manager.randomNormal(shape).mul(3).add(1);
            for (boolean silu : new boolean[] {false, true}) {
                NDArray fused = normGradients(norm, x, silu, true, manager);
                NDArray plain = normGradients(norm, x, silu, false, manager);
                assertThat(maxAbsDifference(fused, plain)).as("silu %s", silu).isLessThan(1e-4f);
            }
        } finally {
            TorchKernels.setEnabled(true);
        }
    }

    /** Output, then input, gamma and beta gradients of sum(output * weights), flattened, with the kernels on or off. */
    private static NDArray normGradients(GroupNorm norm, NDArray x, boolean silu, boolean kernels, NDManager manager) {
        TorchKernels.setEnabled(kernels);
        ParameterStore parameters = new ParameterStore(manager, false);
        NDArray input = x.duplicate();
        input.setRequiresGradient(true);
        NDArray out;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            out = silu ? norm.normalizeThenSilu(parameters, input, true)
                    : norm.forward(parameters, new NDList(input), true).singletonOrThrow();
            collector.backward(out.mul(manager.arange((float) out.size()).reshape(out.getShape()).sin()).sum());
        }
        NDArray all = out.flatten().concat(input.getGradient().flatten());
        for (String name : new String[] {"gamma", "beta"}) {
            NDArray gradient = norm.getParameters().get(name).getArray().getGradient();
            all = all.concat(gradient.flatten());
            gradient.set(new NDIndex("..."), 0f);
        }
        return all;
    }

    @Test
    void attentionKernelGivesTheDjlOpFormsOutputsAndGradientsWithAndWithoutMasks() {
        try (NDManager manager = newManager()) {
            Shape queries = new Shape(2, 6, 16);
            Shape context = new Shape(2, 9, 12);
            for (String kind : new String[] {"self", "causal", "cross", "cross with key bias"}) {
                boolean self = kind.equals("self") || kind.equals("causal");
                MultiHeadAttention attention = self
                        ? initialized(MultiHeadAttention.selfAttention(16, 4, kind.equals("causal")), manager, queries)
                        : initialized(MultiHeadAttention.crossAttention(16, 4), manager, queries, context);
                NDArray q = manager.randomNormal(queries);
                NDArray c = self ? q : manager.randomNormal(context);
                NDArray bias = manager.create(new float[] {0, 0, 0, 0, 0, 0, 0, -1e9f, -1e9f, 0, 0, 0, 0, 0, 0, 0, 0,
                    -1e9f}, new Shape(2, 9));
                NDList inputs = kind.endsWith("bias") ? new NDList(q, c, bias) : new NDList(q, c);
                NDArray fused = attentionGradients(attention, inputs, true, manager);
                NDArray plain = attentionGradients(attention, inputs, false, manager);
                assertThat(maxAbsDifference(fused, plain)).as(kind).isLessThan(1e-4f);
            }
        } finally {
            TorchKernels.setEnabled(true);
        }
    }

    private static NDArray attentionGradients(MultiHeadAttention attention, NDList inputs, boolean kernels,
            NDManager manager) {
        TorchKernels.setEnabled(kernels);
        ParameterStore parameters = new ParameterStore(manager, false);
        NDArray out;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            out = attention.forward(parameters, inputs, true).singletonOrThrow();
            collector.backward(out.mul(manager.arange((float) out.size()).reshape(out.getShape()).cos()).sum());
        }
        NDArray all = out.flatten();
        for (Pair<String, Parameter> parameter : attention.getParameters()) {
            NDArray gradient = parameter.getValue().getArray().getGradient();
            all = all.concat(gradient.flatten());
            gradient.set(new NDIndex("..."), 0f);
        }
        return all;
    }
}
