package io.recap.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.recap.ml.nn.TorchKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks and clips gradients before an update.
 *
 * <p>On these CPUs about one step in 400 produced NaN gradients from a finite loss; a single
 * such update turns every weight into NaN for good, and DJL's {@code optClipGrad} clips values
 * without catching NaN. So the guard computes the global gradient norm and scales gradients
 * down to at most {@code maxNorm}; when the norm is not finite the caller skips the update and
 * {@link #zero() zeroes} the gradients itself, since DJL only clears them inside its optimizer.
 */
public final class GradientGuard {

    private static final NDIndex ALL = new NDIndex("...");

    private final List<String> names;
    private final List<NDArray> weights;
    private final float maxNorm;

    /**
     * @param parameters the trainable parameters (for example {@code block.getParameters()})
     * @param maxNorm largest global L2 norm let through; 0 or less disables clipping
     */
    public GradientGuard(PairList<String, Parameter> parameters, float maxNorm) {
        this.names = new ArrayList<>();
        this.weights = new ArrayList<>();
        for (Pair<String, Parameter> parameter : parameters) {
            if (parameter.getValue().requiresGradient() && parameter.getValue().isInitialized()) {
                names.add(parameter.getKey());
                weights.add(parameter.getValue().getArray());
            }
        }
        this.maxNorm = maxNorm;
    }

    /**
     * Returns the global gradient norm and, when it is finite and above the limit, scales
     * every gradient in place so the norm becomes {@code maxNorm}.
     *
     * <p>The norm is NaN or infinite only when a gradient holds NaN or infinity: each tensor's
     * norm comes from PyTorch in one op, and they are combined in double here, so a float32 sum of
     * squares that overflows (finite gradients above about 1e19) no longer reads as infinite and
     * skips a step; such a tensor's norm is taken again after dividing by its largest element.
     */
    public double clip() {
        if (weights.isEmpty()) {
            return 0;
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList gradients = new NDList(weights.size());
            for (NDArray weight : weights) {
                gradients.add(weight.getGradient());
            }
            TorchKernels kernels = TorchKernels.get();
            float[] perTensor = (kernels != null ? kernels.norms(gradients) : NDArrays.stack(
                    new NDList(gradients.stream().map(NDArray::norm).toArray(NDArray[]::new)))).toFloatArray();
            double sumOfSquares = 0;
            for (int i = 0; i < perTensor.length; i++) {
                double norm = perTensor[i] == Float.POSITIVE_INFINITY
                        ? overflowSafeNorm(gradients.get(i))
                        : perTensor[i];
                sumOfSquares += norm * norm;
            }
            double norm = Math.sqrt(sumOfSquares);
            if (Double.isFinite(norm) && maxNorm > 0 && norm > maxNorm) {
                if (kernels != null) {
                    kernels.scale(gradients, maxNorm / norm);
                } else {
                    // One scalar array for every tensor: muli(float) would make and free one per tensor.
                    NDArray scale = gradients.get(0).getManager().create((float) (maxNorm / norm));
                    gradients.forEach(gradient -> gradient.muli(scale));
                }
            }
            return norm;
        }
    }

    /** The L2 norm of a tensor whose float32 sum of squares overflowed; NaN or infinite only for such elements. */
    static double overflowSafeNorm(NDArray gradient) {
        double largest = gradient.abs().max().getFloat();
        if (!Double.isFinite(largest) || largest == 0) {
            return largest;
        }
        return largest * gradient.div((float) largest).norm().getFloat();
    }

    /** Names of the parameters whose gradient holds NaN or infinity, for diagnosing a skipped step. */
    public List<String> nonFiniteParameters() {
        List<String> found = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < weights.size(); i++) {
                NDArray gradient = weights.get(i).getGradient();
                if (gradient.isNaN().logicalOr(gradient.isInfinite()).any().getBoolean()) {
                    found.add(names.get(i));
                }
            }
        }
        return found;
    }

    /**
     * Sets every gradient to zero in place. Multiplying by zero would keep NaN, and PyTorch
     * adds new gradients to old ones, so a skipped step must clear them this way.
     */
    public void zero() {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (NDArray weight : weights) {
                weight.getGradient().set(ALL, 0f);
            }
        }
    }
}
