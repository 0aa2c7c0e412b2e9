package io.recap.core.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * API keys and the file that holds their hashes. A key is {@code recap_} and 32 random bytes (base64url); only its
 * SHA-256 is ever stored. A plain hash is enough for keys of 256 random bits: nothing can be guessed, so the slow
 * hashes made for passwords would only slow every request.
 *
 * <p>File lines: {@code name role sha256:HEX}; blank lines and lines starting with {@code #} are ignored.
 */
public final class ApiKeys {

    /** What every key starts with, so that a bearer token can be told from a JWT and a leaked key found by a scanner. */
    public static final String PREFIX = "recap_";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One stored key: who it is and what it may do. */
    public record Entry(String name, Role role, byte[] sha256) {

        /** The line of the key file for this entry. */
        public String line() {
            return name + " " + role.label() + " sha256:" + HexFormat.of().formatHex(sha256);
        }
    }

    private ApiKeys() {
    }

    /** A new random key. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entry for a plain key. */
    public static Entry entry(String name, Role role, String key) {
        checkName(name);
        return new Entry(name, role, sha256(key));
    }

    /** Parses one line ({@code name role sha256:HEX}); {@code source} names it in the error. */
    public static Entry parse(String line, String source) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 3 || !parts[2].startsWith("sha256:")) {
            throw new IllegalArgumentException(source + ": expected 'name role sha256:HEX', got '" + line.strip() + "'");
        }
        checkName(parts[0]);
        byte[] hash;
        try {
            hash = HexFormat.of().parseHex(parts[2].substring("sha256:".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the hash of key '" + parts[0] + "' is not hexadecimal", e);
        }
        if (hash.length != 32) {
            throw new IllegalArgumentException(source + ": the hash of key '" + parts[0] + "' is not 32 bytes");
        }
        try {
            return new Entry(parts[0], Role.parse(parts[1]), hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Every entry of a key file. */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                entries.add(parse(line, file + " line " + (i + 1)));
            }
        }
        return entries;
    }

    /**
     * Appends an entry to a key file (created with mode 0644 when missing: it holds hashes only, which the services,
     * running as other users in containers, must read).
     */
    public static void append(Path file, Entry entry) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (!Files.exists(file)) {
            Files.writeString(file, "# RECAP API keys: name role sha256:HEX (only hashes; see docs/security.md)\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            trySetPermissions(file, "rw-r--r--");
        }
        Files.writeString(file, entry.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Writes a plain key for its owner alone (mode 0600). */
    public static void writeSecret(Path file, String key) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.deleteIfExists(file);
        Files.createFile(file);
        trySetPermissions(file, "rw-------");
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
    }

    private static void trySetPermissions(Path file, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default access control applies.
        }
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name '" + name
                    + "' must be 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }
}
