package io.recap.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@value #FILE} file beside a shipped model version's files, in {@code sha256sum}'s format
 * ({@code <64 hex digits><two spaces><relative path>} per line, so {@code sha256sum -c SHA256SUMS} checks it too).
 * {@link #verify} refuses a version whose files differ from it, miss one, or hold one it does not list.
 */
public final class ModelChecksums {

    public static final String FILE = "SHA256SUMS";

    private ModelChecksums() {
    }

    /** Writes {@value #FILE} for every regular file under {@code directory} (sorted by path); returns the entries. */
    public static Map<String, String> write(Path directory) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (Path file : files(directory)) {
            sums.put(relative(directory, file), sha256(file));
        }
        StringBuilder text = new StringBuilder();
        sums.forEach((path, sum) -> text.append(sum).append("  ").append(path).append('\n'));
        Files.writeString(directory.resolve(FILE), text, StandardCharsets.UTF_8);
        return sums;
    }

    /**
     * Checks every file under {@code directory} against its {@value #FILE}.
     *
     * @return the verified entries (relative path to SHA-256)
     * @throws IllegalStateException naming the first file that is missing, unlisted or differs
     */
    public static Map<String, String> verify(Path directory) throws IOException {
        Path list = directory.resolve(FILE);
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException(directory + " has no " + FILE);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.length() < 67 || !line.substring(64, 66).equals("  ")) {
                throw new IllegalStateException(list + ": not a sha256sum line: " + line);
            }
            expected.put(line.substring(66), line.substring(0, 64).toLowerCase(java.util.Locale.ROOT));
        }
        List<String> present = new ArrayList<>();
        for (Path file : files(directory)) {
            String path = relative(directory, file);
            present.add(path);
            String sum = expected.get(path);
            if (sum == null) {
                throw new IllegalStateException(directory + ": " + path + " is not listed in " + FILE);
            }
            String actual = sha256(file);
            if (!actual.equals(sum)) {
                throw new IllegalStateException(directory + ": " + path + " has SHA-256 " + actual + " but " + FILE
                        + " says " + sum);
            }
        }
        for (String path : expected.keySet()) {
            if (!present.contains(path)) {
                throw new IllegalStateException(directory + ": " + path + " is listed in " + FILE + " but missing");
            }
        }
        return expected;
    }

    /**
     * The SHA-256 of every regular file under {@code directory} except {@code skip} (relative paths, sorted), as a
     * model store records them in a version's manifest.
     */
    public static Map<String, String> compute(Path directory, String skip) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (Path file : files(directory)) {
            String path = relative(directory, file);
            if (!path.equals(skip)) {
                sums.put(path, sha256(file));
            }
        }
        return sums;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.equals(directory.resolve(FILE))).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String relative(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }
}
