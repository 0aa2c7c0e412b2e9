package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activations DJL 0.36 lacks or builds from more native ops than they need. */
public final class Activations {

    private Activations() {
    }

    /**
     * Below this many elements two DJL ops beat one TorchScript call, whose own cost outweighs the
     * memory pass it saves (measured in docs/performance.md); the UNet's conditioning vectors are
     * that small.
     */
    static final long KERNEL_MIN_ELEMENTS = 32_768;

    /**
     * SiLU, {@code x * sigmoid(x)}: PyTorch's one kernel where {@link TorchKernels} run and the
     * tensor is large, otherwise two native ops (DJL's {@code Activation.swish(x, 1f)} is the same
     * function in three, plus a scalar array made and freed for the multiply by 1).
     */
    public static NDArray silu(NDArray x) {
        TorchKernels kernels = x.size() >= KERNEL_MIN_ELEMENTS ? TorchKernels.get() : null;
        return kernels != null ? kernels.silu(x) : x.mul(Activation.sigmoid(x));
    }
}
