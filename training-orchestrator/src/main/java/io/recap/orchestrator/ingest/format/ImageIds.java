package io.recap.orchestrator.ingest.format;

import io.recap.core.domain.Require;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Image ids for formats that have none of their own: the image's path relative to the corpus directory, with
 * {@code /} between folders and without the file's extension ({@code cats/tabby.jpg} → {@code cats/tabby}), so the
 * same file keeps its id however often it is ingested. Made acceptable to {@link Require#label}, which refuses
 * control characters and more than 1024 characters: control characters (legal in Linux file names) become
 * {@code _}, and an over-long path keeps its start plus a hash of the whole, so two long paths stay apart.
 */
final class ImageIds {

    static final int MAX_LENGTH = 1024;

    private ImageIds() {
    }

    /** @param relativePath a path that names a file (relative; a leading {@code /} or {@code ./} is dropped) */
    static String fromPath(String relativePath) {
        Path normalized = Path.of(relativePath).normalize();
        if (normalized.getRoot() != null) {
            normalized = normalized.getRoot().relativize(normalized);
        }
        StringBuilder id = new StringBuilder();
        int names = normalized.getNameCount();
        for (int i = 0; i < names; i++) {
            String name = normalized.getName(i).toString();
            if (i == names - 1) {
                int dot = name.lastIndexOf('.');
                name = dot > 0 ? name.substring(0, dot) : name;
            }
            if (i > 0) {
                id.append('/');
            }
            id.append(name);
        }
        String safe = id.toString().codePoints()
                .map(c -> Character.isISOControl(c) ? '_' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (safe.length() > MAX_LENGTH) {
            String hash = HexFormat.of().formatHex(sha256(safe)).substring(0, 16);
            safe = safe.substring(0, MAX_LENGTH - hash.length() - 1) + "~" + hash;
        }
        return safe;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
