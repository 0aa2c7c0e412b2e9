package io.recap.ml.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Remembers the arrays attached directly to a manager and, on close, closes the ones added
 * since.
 *
 * <p>Wraps a training run: DJL's {@code Trainer} hands one gradient view per parameter back to
 * the model's manager on its first step (the gradient check) and keeps it after the trainer
 * closes, so each run on a long-lived model would leave as many arrays as it has parameters.
 * The model must not be used for anything else while the snapshot is open.
 */
public final class ManagerSnapshot implements AutoCloseable {

    private final NDManager manager;
    private final Set<NDArray> before = Collections.newSetFromMap(new IdentityHashMap<>());

    public ManagerSnapshot(NDManager manager) {
        this.manager = manager;
        for (NDArray array : manager.getManagedArrays()) {
            if (array.getManager() == manager) {
                before.add(array);
            }
        }
    }

    @Override
    public void close() {
        for (NDArray array : manager.getManagedArrays()) {
            if (array.getManager() == manager && !before.contains(array)) {
                array.close();
            }
        }
    }
}
