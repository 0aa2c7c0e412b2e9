package io.recap.generation.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorDeadlineTest {

    @Test
    void samplingPastTheRequestTimeoutIsStoppedWithinAStepAndTheNextRequestSamples(@TempDir Path root)
            throws Exception {
        try (TestGenerators.Running running = TestGenerators.start(root, new SimpleMeterRegistry(),
                Duration.ofSeconds(2), 1, Duration.ofMillis(10))) {
            Generator generator = running.generator();
            long begin = System.nanoTime();
            assertThatThrownBy(() -> generator.generate(new GenerationRequest("a red circle", 1, 1000, 3f, 8)))
                    .isInstanceOf(SamplingDeadlineException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));

            // The sampler thread is free again, long before 1,000 steps of 8 images could have run.
            Generator.Generated next = generator.generate(new GenerationRequest("a red circle", 1, 2, 3f, 1));
            assertThat(next.images()).hasSize(1);
        }
    }
}
