package io.recap.ml.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** CI smoke test: the PyTorch natives unpack offline and compute. */
class DjlRuntimeTest {

    @Test
    void pytorchEngineStartsOfflineAndMultipliesMatrices() {
        long begin = System.nanoTime();
        EngineInfo info = DjlRuntime.start();
        try (NDManager manager = NDManager.newBaseManager(info.defaultDevice())) {
            NDArray a = manager.arange(6f).reshape(2, 3);
            NDArray b = manager.ones(new Shape(3, 2));
            NDArray product = a.matMul(b);
            assertThat(product.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(product.toFloatArray()).containsExactly(3f, 3f, 12f, 12f);
        }
        long totalMillis = (System.nanoTime() - begin) / 1_000_000;
        System.out.printf("engine smoke: %s; start+matMul %d ms%n", info, totalMillis);

        assertThat(info.engineName()).isEqualTo("PyTorch");
        assertThat(info.engineVersion()).startsWith("2.7");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(info.intraOpThreads()).isPositive();
        assertThat(DjlRuntime.start()).isSameAs(info);
    }
}
