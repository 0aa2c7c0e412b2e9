package io.recap.generation.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.testsupport.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorDeadlineTest {

    @Test
    void samplingPastTheRequestTimeoutIsStoppedWithinAStepAndTheNextRequestSamples(@TempDir Path root)
            throws Exception {
        ModelStore store = new ModelStore(root);
        store.promote(TinyModels.textToImage(root, ModelRef.textToImage("deadline-t2i", "v1"), List.of("a red circle"),
                3));
        GenerationServiceProperties properties = new GenerationServiceProperties(root, "", Duration.ofSeconds(10), 1,
                0, Duration.ofMillis(300), null, null, 1000, 8, 2000);
        TextToImageHolder holder = new TextToImageHolder(store, properties);
        holder.refresh();
        Generator generator = new Generator(holder, properties, new SimpleMeterRegistry());
        try {
            long begin = System.nanoTime();
            assertThatThrownBy(() -> generator.generate(new GenerationRequest("a red circle", 1, 1000, 3f, 8)))
                    .isInstanceOf(SamplingDeadlineException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));

            // The sampler thread is free again, long before 1,000 steps of 8 images could have run.
            Generator.Generated next = generator.generate(new GenerationRequest("a red circle", 1, 2, 3f, 1));
            assertThat(next.images()).hasSize(1);
        } finally {
            generator.stop();
            holder.close();
        }
    }
}
