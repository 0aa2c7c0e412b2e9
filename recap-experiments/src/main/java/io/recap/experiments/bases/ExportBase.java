package io.recap.experiments.bases;

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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Copies a published version out of a model store into the repository's {@code models/} (same
 * {@code {kind}/{name}/{version}} layout, so the launcher installs it as it is), adds to its manifest how it was
 * made, and writes its {@code SHA256SUMS}.
 *
 * <p>Usage: {@code ExportBase --store DIR --model kind/name/version [--to models] [--command "..."]
 * [--corpus "..."]} ({@code --help}: what each means).
 */
@Command(name = "ExportBase", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Copies a published model version out of a model store into the repository's models/.")
public final class ExportBase implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The model store.")
    Path storeDir;

    @Option(names = "--model", required = true, paramLabel = "kind/name/version", description = "The version.")
    String model;

    @Option(names = "--to", paramLabel = "DIR", description = "Where models/ is; default ${DEFAULT-VALUE}.")
    Path to = Path.of("models");

    @Option(names = "--command", paramLabel = "TEXT",
            description = "The command that trained it, recorded in the manifest as shipped.command.")
    String command = "";

    @Option(names = "--corpus", paramLabel = "TEXT",
            description = "Its training corpus, recorded in the manifest as shipped.trainingCorpus.")
    String corpus = "";

    private ExportBase() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new ExportBase());
    }

    @Override
    public Integer call() throws IOException {
        ModelStore store = new ModelStore(storeDir);
        ModelRef ref = ModelRef.parse(model);
        Path source = store.directory(ref);
        Path target = to.resolve(ref.storeDirectory().substring(
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
        hyper.put("shipped.command", command);
        hyper.put("shipped.trainingCorpus", corpus);
        ModelManifest shipped = new ModelManifest(manifest.kind(), manifest.name(), manifest.version(),
                manifest.architecture(), hyper, manifest.lineage(), manifest.metrics(), manifest.createdAt());
        Files.write(target.resolve(ModelManifest.FILE_NAME), Json.writePretty(shipped));
        ModelChecksums.write(target).forEach((file, sum) -> System.out.println(sum + "  " + file));
        System.out.println("exported " + ref + " to " + target);
        return 0;
    }
}
