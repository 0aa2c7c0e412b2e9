package io.recap.ml.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.nn.TorchKernels;
import io.recap.ml.runtime.DjlRuntime;
import org.junit.jupiter.api.Test;

/** The one-call Adam update and gradient norms give what DJL's per-parameter forms give. */
class MultiTensorUpdateTest {

    @Test
    void adamOverAllParametersAtOnceMatchesDjlsKernelParameterByParameter() {
        DjlRuntime.start();
        try (Model perTensor = twoLayers(); Model allAtOnce = twoLayers()) {
            copyWeights(perTensor.getBlock(), allAtOnce.getBlock());
            ResumableAdam one = new ResumableAdam(perTensor.getBlock().getParameters(), Tracker.fixed(0.01f));
            ResumableAdam all = new ResumableAdam(allAtOnce.getBlock().getParameters(), Tracker.fixed(0.01f));
            assertThat(TorchKernels.get()).isNotNull();
            for (int step = 0; step < 3; step++) {
                backward(perTensor, step);
                backward(allAtOnce, step);
                for (Pair<String, Parameter> parameter : perTensor.getBlock().getParameters()) {
                    NDArray weight = parameter.getValue().getArray();
                    one.update(parameter.getValue().getId(), weight, weight.getGradient());
                }
                assertThat(all.updateAll(allAtOnce.getBlock().getParameters())).isTrue();
            }
            for (Pair<String, Parameter> parameter : perTensor.getBlock().getParameters()) {
                NDArray expected = parameter.getValue().getArray();
                NDArray actual = allAtOnce.getBlock().getParameters().get(parameter.getKey()).getArray();
                assertThat(actual.sub(expected).abs().max().getFloat()).as(parameter.getKey()).isLessThan(1e-6f);
                assertThat(actual.getGradient().abs().sum().getFloat()).as("gradients zeroed").isZero();
            }
            assertThat(all.appliedUpdates()).isEqualTo(3);
        }
    }

    @Test
    void gradientNormsFromTheMultiTensorKernelEqualTheNormsTensorByTensor() {
        DjlRuntime.start();
        try (Model model = twoLayers()) {
            backward(model, 0);
            GradientGuard guard = new GradientGuard(model.getBlock().getParameters(), 0f);
            double fused = guard.clip();
            TorchKernels.setEnabled(false);
            double plain = guard.clip();
            assertThat(fused).isCloseTo(plain, within(plain * 1e-6));
        } finally {
            TorchKernels.setEnabled(true);
        }
    }

    private static Model twoLayers() {
        Model model = Model.newInstance("two-layers");
        Block block = new SequentialBlock().add(Linear.builder().setUnits(6).build())
                .add(Linear.builder().setUnits(3).build());
        model.setBlock(block);
        BlockInitialization.initialize(block, model.getNDManager(), new Shape(4, 5));
        return model;
    }

    private static void copyWeights(Block from, Block to) {
        for (Pair<String, Parameter> parameter : from.getParameters()) {
            to.getParameters().get(parameter.getKey()).getArray().set(parameter.getValue().getArray().toFloatArray());
        }
    }

    private static void backward(Model model, int step) {
        NDManager manager = model.getNDManager();
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray input = manager.arange(20f).reshape(4, 5).mul(0.1f * (step + 1)).sin();
            NDArray out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input), true)
                    .singletonOrThrow();
            collector.backward(out.square().sum());
        }
    }
}
