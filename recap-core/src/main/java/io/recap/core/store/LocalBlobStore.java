package io.recap.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A key → bytes store in one directory (the model store, dataset snapshots). Keys are relative,
 * slash-separated paths; every key is checked lexically and then against the real filesystem so
 * that no key, however crafted, reads or writes outside the root. Writes are atomic: readers see the
 * old bytes or the new ones, never a partial file. What it writes is readable by every user
 * ({@link StorePermissions}).
 */
public final class LocalBlobStore {

    /** Temporary files live beside their target (same filesystem, so the final move is atomic). */
    private static final String TEMP_PREFIX = ".blobstore-tmp-";
    private static final int MAX_KEY_LENGTH = 1024;

    private final Path root;

    /** Creates {@code root} if needed. */
    public LocalBlobStore(Path root) {
        if (root == null) {
            throw new IllegalArgumentException("blob store root is required");
        }
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create blob store root " + root, e);
        }
        this.root = PathConfinement.realDirectory(root);
    }

    /** The root's real path. */
    public Path root() {
        return root;
    }

    /**
     * The filesystem path for {@code key}, which may not exist yet; for callers that must hand a
     * path to a library (e.g. a model directory). Refused keys throw {@link UnsafePathException}.
     */
    public Path resolve(String key) {
        checkKey(key, false);
        Path candidate = root.resolve(key).normalize();
        if (!candidate.startsWith(root)) {
            throw new UnsafePathException(key, "key resolves outside the store root");
        }
        if (!PathConfinement.isInside(PathConfinement.effectivePath(candidate), root)) {
            throw new UnsafePathException(key, "key leads outside the store root through a symbolic link");
        }
        return candidate;
    }

    public void put(String key, byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes are required");
        }
        Path target = resolve(key);
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("key '" + key + "' names a directory");
        }
        Path temp = null;
        try {
            Path parent = createReadableDirectories(target.getParent());
            // Re-check after creating directories: a symlink may have appeared on the way.
            if (!PathConfinement.isInside(PathConfinement.effectivePath(parent), root)) {
                throw new UnsafePathException(key, "key leads outside the store root through a symbolic link");
            }
            temp = Files.createTempFile(parent, TEMP_PREFIX, ".part");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true); // the rename must not become visible before the data is durable
            }
            StorePermissions.apply(temp);
            moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob " + key, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    public Optional<byte[]> get(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted between the check and the read
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + key, e);
        }
    }

    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    /** Deletes the blob; returns false if there was none. Directories are left in place. */
    public boolean delete(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob " + key, e);
        }
    }

    /**
     * Keys starting with {@code prefix} (a plain string prefix, as in S3; "" lists everything),
     * sorted. Symbolic links and in-flight temporary files are not listed.
     */
    public List<String> list(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix is required (use \"\" for all keys)");
        }
        Path start = root;
        if (!prefix.isEmpty()) {
            checkKey(prefix, true);
            int lastSlash = prefix.lastIndexOf('/');
            if (lastSlash > 0) {
                start = resolve(prefix.substring(0, lastSlash));
            }
        }
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(start)) {
            return paths
                    .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(path -> !path.getFileName().toString().startsWith(TEMP_PREFIX))
                    .map(this::keyOf)
                    .filter(key -> key.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list blobs under " + prefix, e);
        }
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    /**
     * Lexical rules. '%' is refused outright rather than decoded: keys are our own identifiers and
     * never need escaping, and any layer that decoded them later (a URL, a proxy) could turn
     * {@code %2e%2e} or {@code %2f} into traversal after this check had passed.
     */
    static void checkKey(String key, boolean isPrefix) {
        if (key == null || key.isEmpty()) {
            throw new UnsafePathException(key, "key is empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new UnsafePathException(key, "key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new UnsafePathException(key, "key contains a control character (NUL included)");
            }
            switch (c) {
                case '\\' -> throw new UnsafePathException(key, "key contains a backslash; only '/' separates segments");
                case '%' -> throw new UnsafePathException(key, "key contains '%'; keys are never percent-encoded");
                case ':' -> throw new UnsafePathException(key, "key contains ':' (drive letter or URI scheme)");
                default -> { }
            }
        }
        if (key.startsWith("/")) {
            throw new UnsafePathException(key, "key is an absolute path; keys are relative to the store root");
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.isEmpty() && !(isPrefix && last)) {
                throw new UnsafePathException(key, "key has an empty segment");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new UnsafePathException(key, "key contains a '" + segment + "' segment");
            }
            if (segment.startsWith(TEMP_PREFIX)) {
                throw new UnsafePathException(key, "key uses the reserved prefix " + TEMP_PREFIX);
            }
        }
    }

    /** Creates the missing directories up to {@code directory}, each {@code 0755} ({@link StorePermissions}). */
    private Path createReadableDirectories(Path directory) throws IOException {
        Path missing = directory;
        while (missing.getParent() != null && !Files.exists(missing.getParent()) && missing.startsWith(root)) {
            missing = missing.getParent();
        }
        boolean existed = Files.exists(missing);
        Files.createDirectories(directory);
        if (!existed && missing.startsWith(root)) {
            StorePermissions.apply(missing);
        }
        return directory;
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is invisible to list() and harmless
        }
    }
}
