package io.recap.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Token-level cross-entropy over logits (B, T, V) and int64 targets (B, T), averaged over the
 * targets that are not {@code ignoredId} (padding, and positions the model is not asked to
 * predict).
 */
public class MaskedSoftmaxCrossEntropy extends Loss {

    private final int ignoredId;

    public MaskedSoftmaxCrossEntropy(int ignoredId) {
        super("MaskedSoftmaxCrossEntropy");
        this.ignoredId = ignoredId;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        NDArray targets = labels.singletonOrThrow().toType(DataType.INT64, false);
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray picked = logProbabilities.gather(targets.expandDims(-1), -1).squeeze(-1);
        NDArray mask = targets.neq(ignoredId).toType(logits.getDataType(), false);
        // Clamp the count at 1 so a batch of only ignored targets gives 0, not NaN.
        return picked.mul(mask).sum().neg().div(mask.sum().maximum(1f));
    }
}
