package io.recap.ml.torchscript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The tiny random-weight TorchScript models of {@code src/test/resources/torchscript} (made by
 * {@code scripts/torchscript/make_tiny_fixtures.py}), with BLIP's and Stable Diffusion's file names and signatures.
 */
public final class TorchScriptFixtures {

    public static final String BLIP = "blip-tiny";
    public static final String STABLE_DIFFUSION = "sd-tiny";

    private TorchScriptFixtures() {
    }

    /** The fixture's folder on the class path (read it, do not change it). */
    public static Path folder(String name) {
        try {
            return Path.of(TorchScriptFixtures.class.getResource("/torchscript/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
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
