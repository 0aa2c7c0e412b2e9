package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ImageBlocksTest {

    @Test
    void encoderTurnsImagesIntoGridTokens() {
        try (NDManager manager = newManager()) {
            Shape large = new Shape(2, 3, 64, 64);
            ConvImageEncoder encoder64 = initialized(new ConvImageEncoder(64, 8, 8, 48), manager, large);
            assertThat(run(encoder64, manager, manager.randomUniform(0, 1, large)).getShape())
                    .isEqualTo(new Shape(2, 64, 48));

            Shape small = new Shape(3, 3, 32, 32);
            ConvImageEncoder encoder32 = initialized(new ConvImageEncoder(32, 4, 8, 48), manager, small);
            assertThat(encoder32.getTokenCount()).isEqualTo(16);
            assertThat(run(encoder32, manager, manager.randomUniform(0, 1, small)).getShape())
                    .isEqualTo(new Shape(3, 16, 48));
        }
    }

    @Test
    void encoderRefusesSizesThatAreNotPowerOfTwoMultiples() {
        assertThatThrownBy(() -> new ConvImageEncoder(48, 8, 8, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConvImageEncoder(32, 5, 8, 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestUpsampleRepeatsEachPixelTwiceInBothDirections() {
        try (NDManager manager = newManager()) {
            NDArray x = manager.arange(4f).reshape(1, 1, 2, 2);
            NDArray y = run(new NearestUpsample2x(), manager, x);
            assertThat(y.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            assertThat(y.toFloatArray()).containsExactly(
                    0, 0, 1, 1,
                    0, 0, 1, 1,
                    2, 2, 3, 3,
                    2, 2, 3, 3);
        }
    }

    @Test
    void sinusoidalEmbeddingStartsAtSineZeroCosineOne() {
        try (NDManager manager = newManager()) {
            NDArray table = SinusoidalEmbedding.positions(manager, 5, 8);
            assertThat(table.getShape()).isEqualTo(new Shape(5, 8));
            float[] first = table.get(0).toFloatArray();
            assertThat(first).containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
            assertThat(table.get(1).getFloat(0)).isCloseTo((float) Math.sin(1), within(1e-6f));
            NDArray steps = SinusoidalEmbedding.embed(manager.create(new int[] {0, 999}), 16, 10_000f);
            assertThat(steps.getShape()).isEqualTo(new Shape(2, 16));
        }
    }

    @Test
    void tokenAndPositionEmbeddingsShapeSequences() {
        try (NDManager manager = newManager()) {
            Shape tokens = new Shape(2, 5);
            TokenEmbedding embedding = initialized(new TokenEmbedding(10, 8), manager, tokens);
            NDArray vectors = run(embedding, manager, manager.create(new long[] {1, 2, 3, 4, 5, 0, 0, 9, 9, 9}, tokens));
            assertThat(vectors.getShape()).isEqualTo(new Shape(2, 5, 8));
            assertThat(vectors.get("1, 2").toFloatArray()).containsExactly(vectors.get("1, 4").toFloatArray());

            PositionEmbedding positions = initialized(new PositionEmbedding(77, 8), manager, new Shape(2, 5, 8));
            NDArray zeros = manager.zeros(new Shape(2, 5, 8), DataType.FLOAT32);
            NDArray placed = run(positions, manager, zeros);
            assertThat(placed.get("0").toFloatArray()).containsExactly(placed.get("1").toFloatArray());
            assertThatThrownBy(() -> run(positions, manager, manager.zeros(new Shape(1, 78, 8))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
