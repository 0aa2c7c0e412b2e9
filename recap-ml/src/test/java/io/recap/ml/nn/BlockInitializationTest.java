package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.maxAbsDifference;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BlockInitializationTest {

    private static final Shape IMAGES = new Shape(2, 3, 16, 16);

    @Test
    void copiedBlockComputesWhatItsSourceComputes() {
        try (NDManager manager = newManager()) {
            ConvImageEncoder source = encoder(manager, 16);
            ConvImageEncoder target = encoder(manager, 16);
            NDArray images = manager.randomUniform(0, 1, IMAGES);
            assertThat(maxAbsDifference(run(source, manager, images), run(target, manager, images)))
                    .as("two Xavier initialisations differ").isGreaterThan(1e-3f);

            BlockInitialization.copyParameters(source, target);

            assertThat(maxAbsDifference(run(source, manager, images), run(target, manager, images)))
                    .isLessThan(1e-6f);
        }
    }

    @Test
    void blocksOfAnotherShapeAreRefusedBeforeAnythingIsCopied() {
        try (NDManager manager = newManager()) {
            ConvImageEncoder narrow = encoder(manager, 16);
            ConvImageEncoder wide = encoder(manager, 32);
            NDArray images = manager.randomUniform(0, 1, IMAGES);
            NDArray before = run(wide, manager, images);

            // The convolutions match in shape; only the token projection (later in the list) does not.
            assertThatThrownBy(() -> BlockInitialization.copyParameters(narrow, wide))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks differ at");
            assertThat(maxAbsDifference(run(wide, manager, images), before)).isZero();
        }
    }

    /** 16x16 images to a 4x4 grid of tokens of this width. */
    private static ConvImageEncoder encoder(NDManager manager, int tokenWidth) {
        return initialized(new ConvImageEncoder(16, 4, 8, tokenWidth), manager, IMAGES);
    }
}
