package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.recap.ml.runtime.DjlRuntime;

/** Initialises blocks and runs them in inference mode. */
final class BlockTestSupport {

    private BlockTestSupport() {
    }

    static NDManager newManager() {
        DjlRuntime.start();
        return NDManager.newBaseManager();
    }

    static <B extends Block> B initialized(B block, NDManager manager, Shape... shapes) {
        BlockInitialization.initialize(block, manager, shapes);
        return block;
    }

    static NDArray run(Block block, NDManager manager, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false).singletonOrThrow();
    }

    static float maxAbsDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
