package io.recap.generation.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.testsupport.TinyModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A generator over an untrained smoke model published and promoted in a temporary store. */
final class TestGenerators {

    /** A generator and the holder it samples from; closing stops both. */
    record Running(Generator generator, TextToImageHolder holder) implements AutoCloseable {
        @Override
        public void close() {
            generator.close();
            holder.close();
        }
    }

    private TestGenerators() {
    }

    static Running start(Path root, MeterRegistry meters, Duration requestTimeout, int maxWaiting,
            Duration maxBatchDelay) throws Exception {
        ModelStore store = new ModelStore(root);
        ModelRef ref = ModelRef.textToImage("test-t2i", "v1");
        store.promote(TinyModels.textToImage(root, ref, List.of("a red circle", "two blue squares"), 3));
        GenerationServiceProperties properties = new GenerationServiceProperties(root, "", Duration.ofSeconds(10),
                maxWaiting, requestTimeout, 16, maxBatchDelay, Duration.ofMillis(250), null, null, 1000, 8, 2000);
        TextToImageHolder holder = new TextToImageHolder(store, properties);
        holder.refresh();
        return new Running(new Generator(holder, properties, meters), holder);
    }
}
