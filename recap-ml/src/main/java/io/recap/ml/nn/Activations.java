package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activations DJL 0.36 lacks or builds from more native ops than they need. */
public final class Activations {

    private Activations() {
    }

    /**
     * SiLU, {@code x * sigmoid(x)}: PyTorch's one kernel where {@link TorchKernels} run, otherwise
     * two native ops (DJL's {@code Activation.swish(x, 1f)} is the same function in three, plus a
     * scalar array made and freed for the multiply by 1).
     */
    public static NDArray silu(NDArray x) {
        TorchKernels kernels = TorchKernels.get();
        return kernels != null ? kernels.silu(x) : x.mul(Activation.sigmoid(x));
    }
}
