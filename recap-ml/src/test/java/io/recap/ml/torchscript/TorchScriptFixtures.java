package io.recap.ml.torchscript;

import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The tiny random-weight TorchScript models of {@code src/test/resources/torchscript}, with BLIP's and Stable
 * Diffusion's file names and signatures: {@link #BLIP} and {@link #STABLE_DIFFUSION} made by
 * {@code scripts/torchscript/make_tiny_fixtures.py}, {@link #HF_BLIP} by {@code scripts/torchscript/export_blip.py}.
 * Other modules get them from this module's test jar; {@link #folder} unpacks them once per JVM.
 */
public final class TorchScriptFixtures {

    public static final String BLIP = "blip-tiny";
    public static final String STABLE_DIFFUSION = "sd-tiny";
    /** Hugging Face's BLIP architecture with a tiny random configuration, exported by export_blip.py --tiny-random. */
    public static final String HF_BLIP = "blip-hf-tiny";

    private static final Map<String, List<String>> FILES = Map.of(
            BLIP, List.of("vision_encoder.pt", "text_decoder.pt", "tokenizer.json", "torchscript.json"),
            HF_BLIP, List.of("vision_encoder.pt", "text_decoder.pt", "tokenizer.json", "torchscript.json"),
            STABLE_DIFFUSION, List.of("text_encoder.pt", "unet.pt", "vae_decoder.pt", "vae_encoder.pt", "tokenizer.json",
                    "torchscript.json"));
    private static final Map<String, Path> UNPACKED = new ConcurrentHashMap<>();

    private TorchScriptFixtures() {
    }

    /** The fixture's folder (read it, do not change it: {@link #copy} gives one to change). */
    public static Path folder(String name) {
        return UNPACKED.computeIfAbsent(name, TorchScriptFixtures::unpack);
    }

    private static Path unpack(String name) {
        List<String> files = FILES.get(name);
        if (files == null) {
            throw new IllegalArgumentException("no fixture " + name + "; there are " + FILES.keySet());
        }
        try {
            Path folder = Files.createTempDirectory("torchscript-" + name + "-");
            folder.toFile().deleteOnExit();
            for (String file : files) {
                try (InputStream in = TorchScriptFixtures.class.getResourceAsStream("/torchscript/" + name + "/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("fixture file missing from the class path: " + name + "/" + file);
                    }
                    Files.copy(in, folder.resolve(file));
                    folder.resolve(file).toFile().deleteOnExit();
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes the fixture into {@code store} as {@code ref}, in the torchscript format, as an import would. */
    public static ModelRef publish(ModelStore store, String name, ModelRef ref) {
        Path folder = folder(name);
        store.publish(new ModelManifest(ref.kind(), ref.name(), ref.version(), name + " (test fixture)", Map.of(),
                ModelManifest.Lineage.NONE, Map.of(), Instant.now(), Map.of(), ModelManifest.FORMAT_TORCHSCRIPT),
                staging -> {
                    try (Stream<Path> files = Files.list(folder)) {
                        for (Path file : files.toList()) {
                            Files.copy(file, staging.resolve(file.getFileName().toString()));
                        }
                    }
                });
        return ref;
    }

    /** A copy of the fixture in {@code target}, for tests that break or replace its files. */
    public static Path copy(String name, Path target) {
        try (Stream<Path> files = Files.list(folder(name))) {
            Files.createDirectories(target);
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
