package io.recap.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

    @TempDir
    Path root;

    private static ModelManifest manifest(String version, Instant createdAt) {
        return new ModelManifest(ModelKind.CAPTIONER, "shapes", version, "test-arch",
                Map.of("lr", 4e-5), ModelManifest.Lineage.NONE, Map.of(), createdAt);
    }

    @Test
    void publishedVersionHoldsFilesAndManifest() {
        ModelStore store = new ModelStore(root);
        Path dir = store.publish(manifest("v1", Instant.parse("2026-01-01T00:00:00Z")),
                d -> Files.writeString(d.resolve("weights.params"), "w"));

        assertThat(dir).isEqualTo(store.directory(ModelRef.captioner("shapes", "v1")));
        assertThat(dir.resolve("weights.params")).hasContent("w");
        assertThat(store.manifest(ModelRef.captioner("shapes", "v1")).hyperParameters()).containsEntry("lr", 4e-5);
    }

    @Test
    void publishingRecordsTheSha256OfEveryFileAndMetricsUpdatesKeepThem() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelRef ref = ModelRef.captioner("shapes", "v1");
        Path dir = store.publish(manifest("v1", Instant.now()), d -> {
            Files.writeString(d.resolve("weights.params"), "w");
            Files.createDirectories(d.resolve("extra"));
            Files.writeString(d.resolve("extra/vocabulary.txt"), "a b");
        });

        Map<String, String> files = store.manifest(ref).files();
        assertThat(files).containsOnlyKeys("extra/vocabulary.txt", "weights.params");
        assertThat(files.get("weights.params")).isEqualTo(ModelChecksums.sha256(dir.resolve("weights.params")));
        assertThat(store.recordMetrics(ref, Map.of("bleu", 0.5)).files()).isEqualTo(files);
        assertThat(store.manifest(ref).files()).isEqualTo(files);
    }

    @Test
    void aVersionWhoseWeightsChangedOrWentMissingOnDiskIsNotHandedToALoader() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelRef v1 = ModelRef.captioner("shapes", "v1");
        Path dir = store.publish(manifest("v1", Instant.now()), d -> Files.writeString(d.resolve("weights.params"), "w"));
        Files.writeString(dir.resolve("weights.params"), "tampered");

        assertThatThrownBy(() -> store.directory(v1)).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("weights.params has SHA-256");
        assertThatThrownBy(() -> store.promote(v1)).isInstanceOf(ModelIntegrityException.class);
        assertThat(store.promoted(ModelKind.CAPTIONER)).isEmpty();

        ModelRef v2 = ModelRef.captioner("shapes", "v2");
        Path other = store.publish(manifest("v2", Instant.now()), d -> Files.writeString(d.resolve("weights.params"), "w"));
        Files.delete(other.resolve("weights.params"));
        assertThatThrownBy(() -> store.directory(v2)).isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("weights.params is missing");
    }

    @Test
    void aManifestFromBeforeChecksumsWereRecordedStillLoads() throws IOException {
        ModelStore store = new ModelStore(root);
        ModelRef ref = ModelRef.captioner("shapes", "v1");
        Path dir = store.publish(manifest("v1", Instant.now()), d -> Files.writeString(d.resolve("weights.params"), "w"));
        Files.write(dir.resolve(ModelManifest.FILE_NAME),
                io.recap.core.json.Json.writePretty(store.manifest(ref).withFiles(Map.of())));

        assertThat(Files.readString(dir.resolve(ModelManifest.FILE_NAME))).doesNotContain("\"files\"");
        assertThat(store.directory(ref)).isEqualTo(dir);
    }

    @Test
    void aManifestNamingAFileOutsideItsVersionIsRefused() {
        assertThatThrownBy(() -> manifest("v1", Instant.now()).withFiles(Map.of("../other/weights.params",
                "0".repeat(64)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("relative path");
        assertThatThrownBy(() -> manifest("v1", Instant.now()).withFiles(Map.of("weights.params", "not-a-sum")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void versionsAreImmutable() {
        ModelStore store = new ModelStore(root);
        store.publish(manifest("v1", Instant.now()), d -> Files.writeString(d.resolve("a"), "first"));

        assertThatThrownBy(() -> store.publish(manifest("v1", Instant.now()), d -> Files.writeString(d.resolve("a"), "second")))
                .isInstanceOf(ModelVersionExistsException.class);
        assertThat(store.directory(ModelRef.captioner("shapes", "v1")).resolve("a")).hasContent("first");
    }

    @Test
    void failedWriterLeavesNothingVisible() {
        ModelStore store = new ModelStore(root);

        assertThatThrownBy(() -> store.publish(manifest("v1", Instant.now()), d -> {
            Files.writeString(d.resolve("half"), "x");
            throw new IOException("disk full");
        })).hasMessageContaining("cannot publish");

        assertThat(store.exists(ModelRef.captioner("shapes", "v1"))).isFalse();
        assertThat(store.list(ModelKind.CAPTIONER)).isEmpty();
        // and the version can still be published afterwards
        store.publish(manifest("v1", Instant.now()), d -> { });
        assertThat(store.exists(ModelRef.captioner("shapes", "v1"))).isTrue();
    }

    @Test
    void listsOldestFirstAndPromotesOnlyExistingVersions() {
        ModelStore store = new ModelStore(root);
        store.publish(manifest("v2", Instant.parse("2026-02-01T00:00:00Z")), d -> { });
        store.publish(manifest("v1", Instant.parse("2026-01-01T00:00:00Z")), d -> { });

        assertThat(store.list(ModelKind.CAPTIONER)).extracting(ModelManifest::version).containsExactly("v1", "v2");
        assertThat(store.promoted(ModelKind.CAPTIONER)).isEmpty();

        store.promote(ModelRef.captioner("shapes", "v2"));
        assertThat(store.promoted(ModelKind.CAPTIONER)).contains(ModelRef.captioner("shapes", "v2"));
        assertThatThrownBy(() -> store.promote(ModelRef.captioner("shapes", "v9")))
                .isInstanceOf(ModelNotFoundException.class);
        assertThat(store.promoted(ModelKind.TEXT_TO_IMAGE)).isEmpty();
    }

    @Test
    void recordedMetricsAreMergedIntoTheManifest() {
        ModelStore store = new ModelStore(root);
        ModelRef ref = ModelRef.captioner("shapes", "v1");
        store.publish(manifest("v1", Instant.now()), d -> { });

        store.recordMetrics(ref, Map.of("long.recall", 0.93));

        assertThat(store.manifest(ref).metrics()).containsEntry("long.recall", 0.93);
        assertThat(store.manifest(ref).hyperParameters()).containsEntry("lr", 4e-5);
    }
}
