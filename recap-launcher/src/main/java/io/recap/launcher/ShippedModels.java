package io.recap.launcher;

import io.recap.core.domain.ModelManifest;
import io.recap.core.json.Json;
import io.recap.core.model.ModelChecksums;
import io.recap.core.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pretrained bases shipped in the repository ({@code models/{kind}/{name}/{version}/}, each with its
 * {@code manifest.json} and {@code SHA256SUMS}), installed into a run's model store before anything uses them.
 */
final class ShippedModels {

    private ShippedModels() {
    }

    /**
     * Checks every shipped version against its {@code SHA256SUMS} and publishes it into {@code storeRoot}'s model
     * store unless the store has it already, in which case the store's files must be the shipped ones (its manifest
     * may have gained metrics since).
     *
     * @return the installed refs, for the console
     * @throws IllegalStateException when a shipped file or an installed copy differs from its checksum
     */
    static List<String> install(Path models, Path storeRoot) throws IOException {
        if (!Files.isDirectory(models)) {
            throw new IllegalStateException("no shipped models at " + models + " (run from a checkout of the platform)");
        }
        ModelStore store = new ModelStore(storeRoot);
        List<String> installed = new ArrayList<>();
        List<Path> versions;
        try (Stream<Path> walk = Files.walk(models, 3)) {
            versions = walk.filter(dir -> Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))).sorted().toList();
        }
        for (Path version : versions) {
            Map<String, String> sums = ModelChecksums.verify(version);
            ModelManifest manifest = Json.read(Files.readAllBytes(version.resolve(ModelManifest.FILE_NAME)),
                    ModelManifest.class);
            if (store.exists(manifest.ref())) {
                Path copy = store.directory(manifest.ref());
                for (Map.Entry<String, String> entry : sums.entrySet()) {
                    if (entry.getKey().equals(ModelManifest.FILE_NAME)) {
                        continue;
                    }
                    Path file = copy.resolve(entry.getKey());
                    if (!Files.isRegularFile(file) || !ModelChecksums.sha256(file).equals(entry.getValue())) {
                        throw new IllegalStateException("the store's " + manifest.ref() + " differs from the shipped "
                                + version + " in " + entry.getKey() + "; use another --data directory");
                    }
                }
            } else {
                store.publish(manifest, target -> {
                    for (String file : sums.keySet()) {
                        if (!file.equals(ModelManifest.FILE_NAME)) {
                            Path destination = target.resolve(file);
                            Files.createDirectories(destination.getParent());
                            Files.copy(version.resolve(file), destination);
                        }
                    }
                });
            }
            installed.add(manifest.ref().toString());
        }
        return installed;
    }
}
