package io.recap.core.model;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.store.LocalBlobStore;
import io.recap.core.store.StorePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Model versions under {@code models/{kind}/{name}/{version}/}: parameters and vocabulary beside a
 * {@code manifest.json}. Versions are immutable: a version is written into a hidden staging
 * directory and renamed into place in one step, so readers never see half a model and a second
 * publish of the same version is refused. "Promoted" is a small pointer file per kind that the
 * registry rewrites and services read at start-up.
 */
public final class ModelStore {

    private static final String STAGING_PREFIX = ".staging-";
    private static final String PROMOTED_FILE = "PROMOTED";

    private final LocalBlobStore blobs;

    public ModelStore(LocalBlobStore blobs) {
        this.blobs = blobs;
    }

    public ModelStore(Path root) {
        this(new LocalBlobStore(root));
    }

    /** Writes model files into a directory that the store then publishes as one immutable version. */
    @FunctionalInterface
    public interface ModelWriter {
        void writeTo(Path directory) throws IOException;
    }

    /**
     * Publishes {@code manifest}'s version: {@code writer} fills a staging directory, the manifest is
     * added, and the directory is renamed to its final place.
     *
     * @throws ModelVersionExistsException when the version is already published
     */
    public Path publish(ModelManifest manifest, ModelWriter writer) {
        ModelRef ref = manifest.ref();
        Path target = blobs.resolve(ref.storeDirectory());
        if (Files.exists(target)) {
            throw new ModelVersionExistsException(ref);
        }
        Path staging = target.resolveSibling(STAGING_PREFIX + ref.version() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            for (Path parent = staging.getParent(); !parent.equals(blobs.root()) && parent.startsWith(blobs.root());
                    parent = parent.getParent()) {
                StorePermissions.applyOne(parent);
            }
            writer.writeTo(staging);
            ModelManifest recorded = manifest.withFiles(ModelChecksums.compute(staging, ModelManifest.FILE_NAME));
            Files.write(staging.resolve(ModelManifest.FILE_NAME), Json.writePretty(recorded));
            // Whatever the writer's umask: the services reading this version may run as other users.
            StorePermissions.apply(staging);
            moveIntoPlace(staging, target, ref);
            return target;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("cannot publish " + ref, e);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    /**
     * Directory holding the files of a published version, for a loader: every file its manifest lists has been
     * checked against the SHA-256 recorded at publishing (a manifest from before the store recorded them is not
     * checked).
     *
     * @throws ModelIntegrityException when a listed file is missing or its content changed
     */
    public Path directory(ModelRef ref) {
        Path dir = blobs.resolve(ref.storeDirectory());
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
            throw new ModelNotFoundException(ref);
        }
        for (Map.Entry<String, String> file : manifest(ref).files().entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path)) {
                throw new ModelIntegrityException(ref, file.getKey() + " is missing");
            }
            String actual;
            try {
                actual = ModelChecksums.sha256(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            if (!actual.equals(file.getValue())) {
                throw new ModelIntegrityException(ref, file.getKey() + " has SHA-256 " + actual
                        + " but was published with " + file.getValue());
            }
        }
        return dir;
    }

    public boolean exists(ModelRef ref) {
        return blobs.exists(ref.storeDirectory() + "/" + ModelManifest.FILE_NAME);
    }

    public ModelManifest manifest(ModelRef ref) {
        byte[] bytes = blobs.get(ref.storeDirectory() + "/" + ModelManifest.FILE_NAME)
                .orElseThrow(() -> new ModelNotFoundException(ref));
        return Json.read(bytes, ModelManifest.class);
    }

    /**
     * Rewrites a version's manifest with new metrics (EVALUATE). Parameters stay untouched; the
     * manifest is replaced atomically.
     */
    public ModelManifest recordMetrics(ModelRef ref, Map<String, Double> metrics) {
        ModelManifest updated = manifest(ref).withMetrics(metrics);
        blobs.put(updated.storeKey(), Json.writePretty(updated));
        return updated;
    }

    /** All published versions of a kind, oldest first by creation time. */
    public List<ModelManifest> list(ModelKind kind) {
        Path kindDir = blobs.resolve("models/" + kind.pathSegment());
        if (!Files.isDirectory(kindDir)) {
            return List.of();
        }
        List<ModelManifest> manifests = new ArrayList<>();
        try (Stream<Path> names = Files.list(kindDir)) {
            for (Path nameDir : names.filter(Files::isDirectory).toList()) {
                try (Stream<Path> versions = Files.list(nameDir)) {
                    versions.filter(v -> !v.getFileName().toString().startsWith(STAGING_PREFIX))
                            .map(v -> v.resolve(ModelManifest.FILE_NAME))
                            .filter(Files::isRegularFile)
                            .forEach(file -> manifests.add(readManifest(file)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list models of kind " + kind, e);
        }
        manifests.sort(Comparator.comparing(ModelManifest::createdAt).thenComparing(m -> m.ref().toString()));
        return manifests;
    }

    /** Points services of {@code ref}'s kind at this version. The version must exist. */
    public void promote(ModelRef ref) {
        directory(ref);
        blobs.put(promotedKey(ref.kind()), ref.toString().getBytes(StandardCharsets.UTF_8));
    }

    public Optional<ModelRef> promoted(ModelKind kind) {
        return blobs.get(promotedKey(kind))
                .map(bytes -> ModelRef.parse(new String(bytes, StandardCharsets.UTF_8)));
    }

    private static String promotedKey(ModelKind kind) {
        return "models/" + kind.pathSegment() + "/" + PROMOTED_FILE;
    }

    private static ModelManifest readManifest(Path file) {
        try {
            return Json.read(Files.readAllBytes(file), ModelManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void moveIntoPlace(Path staging, Path target, ModelRef ref) throws IOException {
        try {
            // A directory rename is atomic; a racing publisher of the same version loses here.
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            if (Files.exists(target)) {
                throw new ModelVersionExistsException(ref);
            }
            throw e;
        } catch (IOException e) {
            // Linux reports a non-empty target directory as DirectoryNotEmptyException.
            if (Files.exists(target)) {
                throw new ModelVersionExistsException(ref);
            }
            throw e;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover staging directory is hidden from list() and harmless.
        }
    }
}
