package io.recap.experiments.bases;

import io.recap.experiments.KeyValueArgs;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.model.ModelChecksums;
import io.recap.core.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Copies a published version out of a model store into the repository's {@code models/} (same
 * {@code {kind}/{name}/{version}} layout, so the launcher installs it as it is), adds to its manifest how it was
 * made, and writes its {@code SHA256SUMS}.
 *
 * <p>Usage: {@code ExportBase store=DIR model=kind/name/version to=models "command=..." "corpus=..."}.
 */
public final class ExportBase {

    private ExportBase() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = KeyValueArgs.parse(args);
        ModelStore store = new ModelStore(Path.of(options.get("store")));
        ModelRef ref = ModelRef.parse(options.get("model"));
        Path source = store.directory(ref);
        Path target = Path.of(options.getOrDefault("to", "models")).resolve(ref.storeDirectory().substring(
                "models/".length()));
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists; shipped versions are never overwritten");
        }
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals(ModelManifest.FILE_NAME)) {
                    Path copy = target.resolve(source.relativize(file).toString());
                    Files.createDirectories(copy.getParent());
                    Files.copy(file, copy);
                }
            }
        }
        ModelManifest manifest = store.manifest(ref);
        Map<String, Object> hyper = new LinkedHashMap<>(manifest.hyperParameters());
        hyper.put("shipped.command", options.getOrDefault("command", ""));
        hyper.put("shipped.trainingCorpus", options.getOrDefault("corpus", ""));
        ModelManifest shipped = new ModelManifest(manifest.kind(), manifest.name(), manifest.version(),
                manifest.architecture(), hyper, manifest.lineage(), manifest.metrics(), manifest.createdAt());
        Files.write(target.resolve(ModelManifest.FILE_NAME), Json.writePretty(shipped));
        ModelChecksums.write(target).forEach((file, sum) -> System.out.println(sum + "  " + file));
        System.out.println("exported " + ref + " to " + target);
    }
}
