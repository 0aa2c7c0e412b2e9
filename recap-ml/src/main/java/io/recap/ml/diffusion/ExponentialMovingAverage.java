package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.recap.ml.nn.TorchKernels;

/**
 * Keeps a second model's weights at an exponential moving average of the trained model's:
 * {@code ema = d ema + (1 - d) live} after every applied step. Sampling from the average gives
 * visibly cleaner images than the last noisy SGD iterate. The decay ramps up as
 * {@code min(d, (1 + n) / (10 + n))} so the average does not drag the random initial weights
 * through the first thousands of steps.
 */
final class ExponentialMovingAverage {

    private final PairList<String, Parameter> live;
    private final PairList<String, Parameter> average;
    private final float decay;

    ExponentialMovingAverage(DiffusionModel liveModel, DiffusionModel averageModel, float decay) {
        this.live = liveModel.getBlock().getParameters();
        this.average = averageModel.getBlock().getParameters();
        this.decay = decay;
    }

    /** Moves the average towards the live weights after update number {@code updates} (from 1). */
    void update(int updates) {
        float d = Math.min(decay, (1f + updates) / (10f + updates));
        // Gradient recording is off here; the temporaries land in the live model's manager and
        // the scope closes them.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            TorchKernels kernels = TorchKernels.get();
            if (kernels != null) {
                kernels.movingAverage(arrays(average), arrays(live), d);
                return;
            }
            // Two scalar arrays for all tensors: muli(float) would make and free one per tensor.
            NDArray keep = null;
            NDArray take = null;
            for (int i = 0; i < live.size(); i++) {
                NDArray target = average.get(i).getValue().getArray();
                NDArray source = live.get(i).getValue().getArray();
                if (keep == null) {
                    keep = target.getManager().create(d);
                    take = target.getManager().create(1f - d);
                }
                target.muli(keep).addi(source.mul(take));
            }
        }
    }

    private static NDList arrays(PairList<String, Parameter> parameters) {
        NDList arrays = new NDList(parameters.size());
        for (Pair<String, Parameter> parameter : parameters) {
            arrays.add(parameter.getValue().getArray());
        }
        return arrays;
    }
}
