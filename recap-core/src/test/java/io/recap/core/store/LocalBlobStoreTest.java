package io.recap.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalBlobStoreTest {

    @TempDir
    Path temp;

    private Path outside;
    private LocalBlobStore store;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        store = new LocalBlobStore(temp.resolve("store"));
    }

    @Test
    void putGetExistsDeleteRoundTrip() {
        store.put("models/captioner/cap/v1/manifest.json", bytes("{}"));
        assertThat(store.exists("models/captioner/cap/v1/manifest.json")).isTrue();
        assertThat(store.get("models/captioner/cap/v1/manifest.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("{}")));
        store.put("models/captioner/cap/v1/manifest.json", bytes("{\"v\":2}"));
        assertThat(store.get("models/captioner/cap/v1/manifest.json").orElseThrow()).isEqualTo(bytes("{\"v\":2}"));
        assertThat(store.delete("models/captioner/cap/v1/manifest.json")).isTrue();
        assertThat(store.delete("models/captioner/cap/v1/manifest.json")).isFalse();
        assertThat(store.exists("models/captioner/cap/v1/manifest.json")).isFalse();
        assertThat(store.get("models/captioner/cap/v1/manifest.json")).isEmpty();
        assertThat(store.exists("models/captioner")).isFalse(); // a directory is not a blob
    }

    @Test
    void listsByStringPrefixSortedWithoutTempFiles() throws IOException {
        store.put("models/captioner/cap/v2/params", bytes("b"));
        store.put("models/captioner/cap/v1/params", bytes("a"));
        store.put("models/text-to-image/sd/v1/params", bytes("c"));
        store.put("datasets/shapes/snapshot.jsonl", bytes("d"));
        Files.writeString(store.root().resolve("models/captioner/cap/v1/.blobstore-tmp-123.part"), "partial");

        assertThat(store.list("models/captioner/")).containsExactly("models/captioner/cap/v1/params",
                "models/captioner/cap/v2/params");
        assertThat(store.list("models/captioner/cap/v")).hasSize(2);
        assertThat(store.list("models/t")).containsExactly("models/text-to-image/sd/v1/params");
        assertThat(store.list("")).hasSize(4);
        assertThat(store.list("nothing/here/")).isEmpty();
    }

    @Test
    void concurrentWritersNeverExposeAPartialFile() throws Exception {
        byte[] first = new byte[256 * 1024];
        byte[] second = new byte[256 * 1024];
        java.util.Arrays.fill(first, (byte) 1);
        java.util.Arrays.fill(second, (byte) 2);
        store.put("blob", first);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    store.put("blob", i % 2 == 0 ? second : first);
                }
            });
            while (!writer.isDone()) {
                byte[] read = store.get("blob").orElseThrow();
                assertThat(read).satisfiesAnyOf(b -> assertThat(b).isEqualTo(first), b -> assertThat(b).isEqualTo(second));
            }
            writer.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list("")).containsExactly("blob"); // no temp files left behind
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "a/../../outside/secret.txt", "a/..", "..", "./a", "a/./b",
            "/etc/passwd", "a\\..\\..\\outside", "a\u0000b", "%2e%2e/outside/secret.txt", "a%2f..%2f..%2fsecret",
            "a%5csecret", "C:/windows", "a//b", "a/", "", ".blobstore-tmp-1.part"})
    void refusesUnsafeKeysEverywhere(String key) {
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.put(key, bytes("x"))).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.exists(key)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(UnsafePathException.class);
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
    }

    @Test
    void refusesSymlinkedDirectoryLeadingOutOfTheRoot() throws IOException {
        Files.createSymbolicLink(store.root().resolve("escape"), outside);
        assertThatThrownBy(() -> store.get("escape/secret.txt")).isInstanceOf(UnsafePathException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.put("escape/new.txt", bytes("x"))).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.put("escape/deeper/new.txt", bytes("x"))).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.delete("escape/secret.txt")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.list("escape/")).isInstanceOf(UnsafePathException.class);
        assertThat(outside).isDirectoryNotContaining(path -> path.getFileName().toString().equals("new.txt"));
        assertThat(outside.resolve("secret.txt")).hasContent("secret");
        assertThat(store.list("")).isEmpty(); // links are not followed when listing
    }

    @Test
    void refusesSymlinkedFileLeadingOutOfTheRoot() throws IOException {
        Files.createSymbolicLink(store.root().resolve("secret-link"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(store.root().resolve("dangling"), outside.resolve("missing.txt"));
        assertThatThrownBy(() -> store.get("secret-link")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.get("dangling")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.put("dangling", bytes("x"))).isInstanceOf(UnsafePathException.class);
        assertThat(outside.resolve("missing.txt")).doesNotExist();
    }

    @Test
    void allowsSymlinksThatStayInsideTheRoot() throws IOException {
        store.put("real/a.txt", bytes("a"));
        Files.createSymbolicLink(store.root().resolve("alias"), store.root().resolve("real"));
        assertThat(store.get("alias/a.txt").orElseThrow()).isEqualTo(bytes("a"));
    }

    @Test
    void rootThatIsItselfASymlinkWorks() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(temp.resolve("store-link"), store.root());
        LocalBlobStore viaLink = new LocalBlobStore(linkedRoot);
        viaLink.put("x/y", bytes("z"));
        assertThat(store.get("x/y").orElseThrow()).isEqualTo(bytes("z"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
