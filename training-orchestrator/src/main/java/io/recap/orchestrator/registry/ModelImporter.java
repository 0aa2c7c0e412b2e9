package io.recap.orchestrator.registry;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptDryRun;
import io.recap.ml.torchscript.TorchScriptImportException;
import io.recap.orchestrator.config.ModelImportProperties;
import io.recap.service.web.InvalidFieldException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a model brought as TorchScript graphs (a folder, or that folder zipped): the files are unpacked into a
 * private scratch folder with their sizes bounded, checked by {@link TorchScriptDryRun} (nothing but the format's
 * files, every graph run once with the shapes its role requires), then published as one immutable version of format
 * {@value ModelManifest#FORMAT_TORCHSCRIPT} whose manifest records each file's SHA-256. A refusal names the file and
 * the tensor and publishes nothing.
 */
public class ModelImporter {

    private static final Logger log = LoggerFactory.getLogger(ModelImporter.class);

    private final ModelStore models;
    private final Path scratchRoot;
    private final ModelImportProperties limits;
    private final Clock clock;

    public ModelImporter(ModelStore models, Path scratchRoot, ModelImportProperties limits, Clock clock) {
        this.models = models;
        this.scratchRoot = scratchRoot;
        this.limits = limits;
        this.clock = clock;
    }

    /** Imports the zipped folder {@code zip} as {@code kind/name/version}. */
    public ModelManifest importZip(ModelKind kind, String name, String version, InputStream zip) {
        ModelRef ref = ref(kind, name, version);
        Path scratch = scratch();
        try {
            unzip(zip, scratch);
            return publish(ref, scratch);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** Imports the folder {@code folder} (left as it is) as {@code kind/name/version}. */
    public ModelManifest importFolder(ModelKind kind, String name, String version, Path folder) {
        ModelRef ref = ref(kind, name, version);
        Path scratch = scratch();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (Files.isDirectory(file)) {
                    throw new TorchScriptImportException(file.getFileName().toString(), "a folder; an imported model holds files only");
                }
                Files.copy(file, scratch.resolve(file.getFileName().toString()));
            }
            return publish(ref, scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder, e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private ModelManifest publish(ModelRef ref, Path folder) {
        if (models.exists(ref)) {
            throw new io.recap.core.model.ModelVersionExistsException(ref);
        }
        TorchScriptDryRun.Report report;
        try {
            report = TorchScriptDryRun.check(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the unpacked model", e);
        }
        if (report.config().kind() != ref.kind()) {
            throw new TorchScriptImportException(TorchScriptConfig.FILE_NAME, "kind is " + report.config().kind()
                    + " but the model is imported as " + ref.kind());
        }
        Map<String, Object> hyperParameters = new LinkedHashMap<>();
        hyperParameters.put("graphOutputs", report.outputs());
        hyperParameters.put("torchscript", report.config());
        ModelManifest manifest = new ModelManifest(ref.kind(), ref.name(), ref.version(), report.config().architecture(),
                hyperParameters, ModelManifest.Lineage.NONE, Map.of(), clock.instant(), Map.of(),
                ModelManifest.FORMAT_TORCHSCRIPT);
        models.publish(manifest, staging -> {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.move(file, staging.resolve(file.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        });
        log.info("imported {} ({}): {}", ref, report.config().architecture(), report.outputs());
        return models.manifest(ref);
    }

    /** Unpacks flat files (or one top-level folder of them), within the configured count and size. */
    private void unzip(InputStream zip, Path target) {
        long budget = limits.maxBytes().toBytes();
        int count = 0;
        try (ZipInputStream entries = new ZipInputStream(zip)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                String[] parts = entry.getName().split("/");
                if (entry.isDirectory()) {
                    if (parts.length > 1) {
                        throw new TorchScriptImportException(entry.getName(), "nested folders are not part of an imported model");
                    }
                    continue;
                }
                String name = parts[parts.length - 1];
                if (parts.length > 2 || name.isEmpty() || name.startsWith(".") || name.contains("\\")) {
                    throw new TorchScriptImportException(entry.getName(),
                            "an imported model holds flat files, at the zip's root or in one folder");
                }
                if (++count > limits.maxFiles()) {
                    throw new InvalidFieldException("body", "the zip holds more than " + limits.maxFiles() + " files",
                            "TOO_MANY_FILES");
                }
                Path file = target.resolve(name);
                if (Files.exists(file)) {
                    throw new TorchScriptImportException(name, "appears twice in the zip");
                }
                budget -= copyBounded(entries, file, budget);
            }
        } catch (IOException e) {
            throw new InvalidFieldException("body", "not a readable zip: " + e.getMessage(), "INVALID_ZIP");
        }
        if (count == 0) {
            throw new InvalidFieldException("body", "the zip holds no files", "INVALID_ZIP");
        }
    }

    private long copyBounded(InputStream in, Path file, long budget) throws IOException {
        long written = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                written += read;
                if (written > budget) {
                    throw new InvalidFieldException("body", "the model's files hold more than "
                            + limits.maxBytes() + " (recap.orchestrator.model-import.max-bytes)", "TOO_LARGE");
                }
                out.write(buffer, 0, read);
            }
        }
        return written;
    }

    private static ModelRef ref(ModelKind kind, String name, String version) {
        if (kind != ModelKind.CAPTIONER && kind != ModelKind.TEXT_TO_IMAGE) {
            throw new InvalidFieldException("kind", "only captioner and text-to-image models can be imported");
        }
        try {
            new ModelRef(kind, name, "v1");
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("name", e.getMessage());
        }
        try {
            return new ModelRef(kind, name, version);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("version", e.getMessage());
        }
    }

    private Path scratch() {
        try {
            Files.createDirectories(scratchRoot);
            return Files.createTempDirectory(scratchRoot, "import-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder in " + scratchRoot, e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete scratch folder {}: {}", folder, e.getMessage());
        }
    }
}
