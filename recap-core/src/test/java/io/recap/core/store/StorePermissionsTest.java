package io.recap.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store writes is readable by other users, whatever the writer's defaults. */
class StorePermissionsTest {

    @Test
    void blobsAreWrittenReadableByAllAndTheirNewDirectoriesTraversable(@TempDir Path temp) throws Exception {
        LocalBlobStore blobs = new LocalBlobStore(temp.resolve("store"));

        blobs.put("models/captioner/PROMOTED", "captioner/c/v1".getBytes(StandardCharsets.UTF_8));

        assertThat(mode(temp.resolve("store/models/captioner/PROMOTED"))).isEqualTo("rw-r--r--");
        assertThat(mode(temp.resolve("store/models/captioner"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(temp.resolve("store/models"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aPublishedVersionIsReadableByAllEvenWhenItsWriterMadePrivateFiles(@TempDir Path temp) throws Exception {
        ModelStore store = new ModelStore(temp.resolve("store"));
        ModelRef ref = ModelRef.textToImage("t2i", "v1");

        Path published = store.publish(new ModelManifest(ModelKind.TEXT_TO_IMAGE, ref.name(), ref.version(), "test",
                Map.of(), ModelManifest.Lineage.NONE, Map.of(), Instant.now()), directory -> {
                    Path weights = Files.writeString(directory.resolve("weights.params"), "w");
                    Files.setPosixFilePermissions(weights, PosixFilePermissions.fromString("rw-------"));
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
                });
        store.promote(ref);

        assertThat(mode(published)).isEqualTo("rwxr-xr-x");
        assertThat(mode(published.resolve("weights.params"))).isEqualTo("rw-r--r--");
        assertThat(mode(published.resolve(ModelManifest.FILE_NAME))).isEqualTo("rw-r--r--");
        assertThat(mode(published.getParent())).isEqualTo("rwxr-xr-x");
    }

    @Test
    void anotherUserReadsWhatTheStoreWrote(@TempDir Path temp) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs root and setpriv to read as another user");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        ModelStore store = new ModelStore(temp.resolve("store"));
        ModelRef ref = ModelRef.textToImage("t2i", "v1");
        store.publish(new ModelManifest(ModelKind.TEXT_TO_IMAGE, ref.name(), ref.version(), "test", Map.of(),
                ModelManifest.Lineage.NONE, Map.of(), Instant.now()),
                directory -> Files.writeString(directory.resolve("weights.params"), "weights"));
        store.promote(ref);

        String promoted = readAsNobody(temp.resolve("store/models/text-to-image/PROMOTED"));
        String weights = readAsNobody(store.directory(ref).resolve("weights.params"));

        assertThat(promoted).isEqualTo(ref.toString());
        assertThat(weights).isEqualTo("weights");
    }

    private static String readAsNobody(Path file) throws Exception {
        Process cat = new ProcessBuilder(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "cat", file.toString())).redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor()).as("cat as uid 65534: %s", out).isZero();
        return out;
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
