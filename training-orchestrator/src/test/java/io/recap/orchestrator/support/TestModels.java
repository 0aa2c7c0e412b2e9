package io.recap.orchestrator.support;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;

/** Publishes small but well-formed model versions into a store. */
public final class TestModels {

    private TestModels() {
    }

    public static ModelRef publish(ModelStore store, ModelRef ref, ModelManifest.Lineage lineage,
            Map<String, Double> metrics) {
        if (store.exists(ref)) {
            return ref;
        }
        ModelManifest manifest = new ModelManifest(ref.kind(), ref.name(), ref.version(), "test-architecture",
                Map.of("lr", 4e-5, "steps", 300), lineage, metrics, Instant.now());
        store.publish(manifest, dir -> Files.writeString(dir.resolve("parameters.bin"), "weights of " + ref));
        return ref;
    }

    public static ModelRef captioner(ModelStore store, String name, String version) {
        return publish(store, ModelRef.captioner(name, version),
                new ModelManifest.Lineage(null, null, null, null, "shapes-human-100"), Map.of("bleu", 0.31));
    }

    public static ModelRef textToImage(ModelStore store, String name, String version, String corpusId, ModelRef captioner) {
        return publish(store, ModelRef.textToImage(name, version),
                new ModelManifest.Lineage(corpusId, captioner, CaptionMix.RECAP_MIX, null, null),
                Map.of("fid", 14.84, "objectAccuracy", 0.8434));
    }
}
