package io.recap.service.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;

class PromotedModelHolderTest {

    /** Stands for a model: the text of its weights file, and whether it was closed. */
    static final class TextModel implements AutoCloseable {
        final String weights;
        boolean closed;

        TextModel(Path directory) throws java.io.IOException {
            this.weights = Files.readString(directory.resolve("weights.txt"));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @TempDir
    Path root;

    private ModelStore store() {
        return new ModelStore(root);
    }

    private ModelRef publish(String version) {
        ModelRef ref = ModelRef.captioner("c", version);
        store().publish(new ModelManifest(ModelKind.CAPTIONER, "c", version, "test", Map.of(),
                ModelManifest.Lineage.NONE, Map.of(), Instant.now()), d -> Files.writeString(d.resolve("weights.txt"), version));
        return ref;
    }

    @Test
    void downUntilAModelIsPromotedThenFollowsPromotions() {
        PromotedModelHolder<TextModel> holder = new PromotedModelHolder<>(store(), ModelKind.CAPTIONER, "", TextModel::new);
        holder.refresh();
        assertThat(holder.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(holder.health().getDetails().get("reason").toString()).contains("promoted");
        assertThatThrownBy(() -> holder.withModel((ref, model) -> model)).isInstanceOf(ModelNotLoadedException.class);

        store().promote(publish("v1"));
        holder.refresh();
        TextModel first = holder.withModel((ref, model) -> model);
        assertThat(first.weights).isEqualTo("v1");
        assertThat(holder.health().getStatus()).isEqualTo(Status.UP);

        store().promote(publish("v2"));
        holder.refresh();
        ModelRef served = holder.withModel((ref, model) -> ref);
        assertThat(served).isEqualTo(ModelRef.captioner("c", "v2"));
        assertThat(first.closed).isTrue();
    }

    @Test
    void aPromotedVersionWhoseWeightsWereChangedOnDiskIsRefusedAndTheServedOneStays() throws Exception {
        store().promote(publish("v1"));
        PromotedModelHolder<TextModel> holder = new PromotedModelHolder<>(store(), ModelKind.CAPTIONER, "", TextModel::new);
        holder.refresh();
        ModelRef v2 = publish("v2");
        store().promote(v2);
        Files.writeString(store().directory(v2).resolve("weights.txt"), "not what was published");

        holder.refresh();

        ModelRef served = holder.withModel((ref, model) -> ref);
        assertThat(served).isEqualTo(ModelRef.captioner("c", "v1"));
        assertThat(holder.health().getDetails().get("lastError").toString())
                .contains("captioner/c/v2", "weights.txt has SHA-256");
    }

    @Test
    void aPinnedVersionIgnoresPromotions() {
        publish("v1");
        store().promote(publish("v2"));
        PromotedModelHolder<TextModel> holder = new PromotedModelHolder<>(store(), ModelKind.CAPTIONER,
                "captioner/c/v1", TextModel::new);
        holder.refresh();
        String weights = holder.withModel((ref, model) -> model.weights);
        assertThat(weights).isEqualTo("v1");
    }

    @Test
    void aBrokenModelKeepsTheCurrentOneServing() throws Exception {
        PromotedModelHolder<TextModel> holder = new PromotedModelHolder<>(store(), ModelKind.CAPTIONER, "", TextModel::new);
        store().promote(publish("v1"));
        holder.refresh();
        ModelRef broken = ModelRef.captioner("c", "v2");
        store().publish(new ModelManifest(ModelKind.CAPTIONER, "c", "v2", "test", Map.of(), ModelManifest.Lineage.NONE,
                Map.of(), Instant.now()), d -> { });
        store().promote(broken);

        holder.refresh();

        String weights = holder.withModel((ref, model) -> model.weights);
        assertThat(weights).isEqualTo("v1");
        assertThat(holder.health().getStatus()).isEqualTo(Status.UP);
    }
}
