package io.recap.ml.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.runtime.DjlRuntime;
import org.junit.jupiter.api.Test;

class GuardedStepTest {

    @Test
    void nonFiniteGradientsSkipTheUpdateAndAreCleared() {
        DjlRuntime.start();
        try (Model model = Model.newInstance("guard")) {
            Block block = Linear.builder().setUnits(2).build();
            model.setBlock(block);
            BlockInitialization.initialize(block, model.getNDManager(), new Shape(4, 3));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build()))) {
                GuardedStep step = new GuardedStep(trainer, 1f);
                NDArray weight = block.getParameters().get("weight").getArray();
                float[] before = weight.toFloatArray();

                StepOutcome poisoned = step.run(() -> output(trainer).mul(Float.NaN).sum());

                assertThat(poisoned.applied()).isFalse();
                assertThat(weight.toFloatArray()).containsExactly(before);
                assertThat(weight.getGradient().abs().sum().getFloat()).isZero();

                StepOutcome healthy = step.run(() -> output(trainer).square().sum());

                assertThat(healthy.applied()).isTrue();
                assertThat(weight.toFloatArray()).isNotEqualTo(before);
                assertThat(weight.isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void clipsTheGlobalGradientNorm() {
        DjlRuntime.start();
        try (Model model = Model.newInstance("clip")) {
            Block block = Linear.builder().setUnits(8).build();
            model.setBlock(block);
            BlockInitialization.initialize(block, model.getNDManager(), new Shape(4, 8));
            GradientGuard guard = new GradientGuard(block.getParameters(), 0.5f);
            try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                NDArray input = model.getNDManager().ones(new Shape(4, 8));
                NDArray out = block.forward(new ai.djl.training.ParameterStore(model.getNDManager(), false),
                        new NDList(input), true).singletonOrThrow();
                collector.backward(out.sum().mul(100));
            }

            double norm = guard.clip();

            assertThat(norm).isGreaterThan(100.0);
            assertThat(guard.clip()).isCloseTo(0.5, within(1e-3));
            guard.zero();
        }
    }

    @Test
    void finiteGradientsWhoseSquaresOverflowFloatAreClippedNotReportedInfinite() {
        try (Model model = Model.newInstance("overflow")) {
            Block block = Linear.builder().setUnits(8).build();
            model.setBlock(block);
            BlockInitialization.initialize(block, model.getNDManager(), new Shape(4, 8));
            GradientGuard guard = new GradientGuard(block.getParameters(), 1f);
            try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                NDArray input = model.getNDManager().ones(new Shape(4, 8));
                NDArray out = block.forward(new ai.djl.training.ParameterStore(model.getNDManager(), false),
                        new NDList(input), true).singletonOrThrow();
                // Every weight gradient is 4e25: finite, but its square (1.6e51) is not a float.
                collector.backward(out.sum().mul(1e25f));
            }
            assertThat(guard.nonFiniteParameters()).isEmpty();

            double norm = guard.clip();

            // 64 weights of 4e25 and 8 biases of 4e25: sqrt(72) * 4e25.
            assertThat(norm).isCloseTo(Math.sqrt(72) * 4e25, within(1e21));
            assertThat(guard.clip()).isCloseTo(1.0, within(1e-3));
            guard.zero();
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysAlongACosine() {
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(1e-3f, 1e-5f, 10, 110);
        assertThat(schedule.getNewValue(1)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(schedule.getNewValue(10)).isCloseTo(1e-3f, within(1e-9f));
        float middle = (1e-3f + 1e-5f) / 2;
        assertThat(schedule.getNewValue(60)).isGreaterThan(middle);
        assertThat(schedule.getNewValue(61)).isLessThan(middle);
        assertThat(schedule.getNewValue(110)).isCloseTo(1e-5f, within(1e-9f));
        assertThat(schedule.getNewValue(500)).isCloseTo(1e-5f, within(1e-9f));
    }

    private static NDArray output(Trainer trainer) {
        NDArray input = trainer.getManager().ones(new Shape(4, 3));
        return trainer.forward(new NDList(input)).singletonOrThrow();
    }
}
