package io.recap.generation.inference;

import io.micrometer.core.instrument.MeterRegistry;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.text.Vocabulary;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(),
                Vocabulary.build(List.of("a red circle", "two blue squares"), List.of(), 1), 3)) {
            store.publish(new ModelManifest(ModelKind.TEXT_TO_IMAGE, ref.name(), ref.version(), "test", Map.of(),
                    ModelManifest.Lineage.NONE, Map.of(), Instant.now()), model::save);
        }
        store.promote(ref);
        GenerationServiceProperties properties = new GenerationServiceProperties(root, "", Duration.ofSeconds(10),
                maxWaiting, requestTimeout, 16, maxBatchDelay, Duration.ofMillis(250), null, null, 1000, 8, 2000);
        TextToImageHolder holder = new TextToImageHolder(store, properties);
        holder.refresh();
        return new Running(new Generator(holder, properties, meters), holder);
    }
}
