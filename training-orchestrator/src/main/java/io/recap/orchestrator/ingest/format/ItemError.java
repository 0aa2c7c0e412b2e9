package io.recap.orchestrator.ingest.format;

/**
 * An item of a corpus that was left out, and why; the rest of the corpus is read on.
 *
 * @param reason machine-readable cause
 * @param path the image (or manifest entry) as the corpus names it: relative to the corpus directory where it is
 * @param line 1-based line of the manifest that named it (a CSV record's first line); null for a folder's files
 * @param detail what exactly was wrong, for a person
 */
public record ItemError(Reason reason, String path, Integer line, String detail) {

    public enum Reason {
        /** The path leaves the allowed roots: a {@code ..} segment, an absolute path elsewhere, a symlink out. */
        UNSAFE_PATH,
        /** No file at the path, or a directory there. */
        MISSING_IMAGE,
        /** The image or its sidecar text exists but cannot be read (I/O error, not UTF-8, too large). */
        UNREADABLE_FILE,
        /** The file does not start like a PNG or JPEG (a text file named {@code .png}, an empty file, WebP). */
        UNSUPPORTED_IMAGE,
        /** A manifest line that is not a JSON object, or a CSV record that does not fit the header. */
        MALFORMED_LINE,
        /** A manifest line without an image path, or without the text column the request named. */
        MISSING_FIELD,
        /** Another item of the corpus already has this image id (e.g. {@code a.png} beside {@code a.jpg}). */
        DUPLICATE_ID
    }
}
