package io.recap.orchestrator.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The relative name an image is exported under. An id that came from a file path ({@code cats/tabby}) is kept, so
 * the text files land beside the user's images; any other id (a Kafka producer may send any label) is made safe
 * for a file system and a tar: no empty, {@code .} or {@code ..} segment, no leading {@code /}, no backslash, no
 * control character; for WebDataset, no dot in the last segment either, because WebDataset cuts a member's key at
 * its first dot. A name that had to change gets a hash of the id appended, so two ids never share a name.
 */
final class ExportNames {

    private ExportNames() {
    }

    static String of(String imageId, boolean dotFreeKey) {
        List<String> segments = new ArrayList<>();
        String[] parts = imageId.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            StringBuilder safe = new StringBuilder();
            boolean last = i == parts.length - 1;
            part.codePoints().forEach(c -> safe.appendCodePoint(
                    Character.isISOControl(c) || c == '\\' || (dotFreeKey && last && c == '.') ? '_' : c));
            segments.add(safe.toString().equals("..") ? "__" : safe.toString());
        }
        String name = segments.isEmpty() ? "_" : String.join("/", segments);
        return name.equals(imageId) ? name : name + "~" + hash(imageId);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
