package io.recap.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedRootsTest {

    @TempDir
    Path temp;

    private Path images;
    private Path more;
    private Path outside;
    private AllowedRoots roots;

    @BeforeEach
    void setUp() throws IOException {
        images = Files.createDirectories(temp.resolve("images")).toRealPath();
        more = Files.createDirectories(temp.resolve("more")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        Files.writeString(Files.createDirectories(images.resolve("set a")).resolve("cat.png"), "png");
        Files.writeString(more.resolve("dog.png"), "png");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(images.resolve("escape"), outside);
        Files.createSymbolicLink(images.resolve("secret-link.png"), outside.resolve("secret.txt"));
        roots = AllowedRoots.of(images, more);
    }

    @Test
    void acceptsFileUrisAndPathsUnderARoot() {
        Path cat = images.resolve("set a/cat.png");
        assertThat(roots.resolve("file:" + images + "/set%20a/cat.png")).isEqualTo(cat);
        assertThat(roots.resolve("file://" + images + "/set%20a/cat.png")).isEqualTo(cat);
        assertThat(roots.resolve("file://localhost" + images + "/set%20a/cat.png")).isEqualTo(cat);
        assertThat(roots.resolve(images + "/set a/cat.png")).isEqualTo(cat);
        assertThat(roots.resolve("file:set%20a/cat.png")).isEqualTo(cat);
        assertThat(roots.resolve("set a/./cat.png")).isEqualTo(cat);
        assertThat(roots.resolve("dog.png")).isEqualTo(more.resolve("dog.png")); // found in the second root
        assertThat(roots.resolve("new.png")).isEqualTo(images.resolve("new.png")); // not there yet: first root
        assertThat(roots.allows("file:dog.png")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.txt", "set a/../../outside/secret.txt", "set%20a/../cat.png",
            "file:../outside/secret.txt", "file:%2e%2e/outside/secret.txt", "file:%2E%2E/outside/secret.txt",
            "file:set%20a%2f..%2f..%2foutside/secret.txt", "file:%252e%252e/outside/secret.txt", "..%5coutside",
            "escape/secret.txt", "file:escape/secret.txt", "secret-link.png", "/etc/passwd", "file:/etc/passwd",
            "file:///etc/passwd", "file://evil.example.com/share/x.png", "s3://bucket/key.png", "http://x/y.png",
            "set a\\cat.png", "cat\u0000.png", "file:cat%00.png", "", "   ", "file:", "file:/tmp/x.png?raw"})
    void refusesEveryTrick(String input) {
        assertThatThrownBy(() -> roots.resolve(input)).isInstanceOf(UnsafePathException.class);
        assertThat(roots.allows(input)).isFalse();
    }

    @Test
    void refusesAbsolutePathsThatOnlyLookLikeTheyAreUnderARoot() {
        // "/tmp/x/images-evil" starts with the string "/tmp/x/images" but is not inside that directory.
        assertThatThrownBy(() -> roots.resolve(images + "-evil/cat.png")).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> roots.resolve(images + "/escape/secret.txt"))
                .isInstanceOf(UnsafePathException.class).hasMessageContaining("outside the allowed roots");
    }

    @Test
    void rootsMustBeExistingDirectories() {
        assertThatThrownBy(() -> AllowedRoots.of(temp.resolve("missing"))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> AllowedRoots.of()).isInstanceOf(IllegalArgumentException.class);
    }
}
