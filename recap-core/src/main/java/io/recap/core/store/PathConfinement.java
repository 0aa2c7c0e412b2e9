package io.recap.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Symlink-aware "is this path inside that directory" checks shared by the blob store and allowed roots. */
final class PathConfinement {

    private PathConfinement() {
    }

    /** Real path of an existing directory, used as the reference every candidate is compared with. */
    static Path realDirectory(Path directory) {
        try {
            Path real = directory.toAbsolutePath().normalize().toRealPath();
            if (!Files.isDirectory(real)) {
                throw new IllegalArgumentException("not a directory: " + directory);
            }
            return real;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve root directory " + directory, e);
        }
    }

    /**
     * Where {@code candidate} (absolute, normalised) really points: the real path of its deepest
     * existing ancestor (following every symlink on the way) with the not-yet-existing rest appended.
     * Checking this, rather than the lexical path, is what catches symlinks leading out of a root.
     */
    static Path effectivePath(Path candidate) {
        Path existing = candidate;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return candidate;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(candidate)).normalize();
        } catch (IOException e) {
            // A dangling symlink (or a loop) on the way: its target cannot be confirmed inside the root.
            throw new UnsafePathException(candidate.toString(), "path contains an unresolvable symbolic link");
        }
    }

    static boolean isInside(Path realPath, Path realRoot) {
        return realPath.startsWith(realRoot);
    }
}
