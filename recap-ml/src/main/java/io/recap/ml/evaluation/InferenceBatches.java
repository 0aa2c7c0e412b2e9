package io.recap.ml.evaluation;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.recap.ml.runtime.DjlRuntime;
import java.util.Arrays;

/**
 * Runs a frozen network over many inputs in chunks, each chunk in its own manager and scope so that
 * nothing outlives it, and collects its (B, D) outputs as Java rows.
 */
final class InferenceBatches {

    /** Inputs per forward pass. */
    static final int SIZE = 64;

    /** One forward pass in evaluation mode over inputs {@code from..to-1}, returning (to - from, D). */
    @FunctionalInterface
    interface Pass {
        NDArray run(NDManager manager, ParameterStore parameters, int from, int to);
    }

    private InferenceBatches() {
    }

    static float[][] rows(Model model, int count, Pass pass) {
        // A caller's thread (a web server's, an executor's) may have PyTorch's autograd on.
        DjlRuntime.prepareCurrentThread();
        float[][] rows = new float[count][];
        for (int from = 0; from < count; from += SIZE) {
            int to = Math.min(count, from + SIZE);
            try (NDManager manager = model.getNDManager().newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray output = pass.run(manager, new ParameterStore(manager, false), from, to);
                int width = (int) output.getShape().get(1);
                float[] flat = output.toFloatArray();
                for (int r = 0; r < to - from; r++) {
                    rows[from + r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
                }
            }
        }
        return rows;
    }
}
