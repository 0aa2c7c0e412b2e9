package io.recap.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The store's permission rule: every file it writes is {@code 0644} and every directory {@code 0755}, whatever the
 * writer's umask or a temporary file's default ({@code 0600}). The services that read the store run as other users
 * (a container's own uid, a pod's {@code runAsUser}); they only ever read it, and the store holds no secrets.
 * On a file system without POSIX permissions nothing is changed.
 */
public final class StorePermissions {

    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private StorePermissions() {
    }

    /** Applies the rule to {@code path}, and below it when it is a directory; symbolic links are left alone. */
    public static void apply(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path entry : (Iterable<Path>) tree::iterator) {
                    applyOne(entry);
                }
            }
        } else {
            applyOne(path);
        }
    }

    /** Applies the rule to {@code entry} alone (a directory's contents are left as they are). */
    public static void applyOne(Path entry) throws IOException {
        if (Files.isSymbolicLink(entry)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(entry, Files.isDirectory(entry) ? DIRECTORY : FILE);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access control applies.
        }
    }
}
