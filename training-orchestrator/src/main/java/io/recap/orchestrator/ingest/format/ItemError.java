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
        /** No file at the path, or a directory there; in a tar shard, a key with no image member. */
        MISSING_IMAGE,
        /** The image or its sidecar text exists but cannot be read (I/O error, not UTF-8, too large). */
        UNREADABLE_FILE,
        /** The file does not start like a PNG, JPEG or WebP (a text file named {@code .png}, an empty file). */
        UNSUPPORTED_IMAGE,
        /** A tar member larger than the image byte limit ({@code ImageLimits.maxBytes()}); it is not read. */
        TOO_LARGE,
        /** A tar shard with more members or bytes than a shard may hold (a tar bomb); the rest of it is not read. */
        SHARD_LIMIT,
        /** A tar shard that ends inside a header or a member; the items before the cut are kept. */
        TRUNCATED,
        /** A manifest line that is not a JSON object, or a CSV record that does not fit the header. */
        MALFORMED_LINE,
        /** A manifest line without an image path, or without the text column the request named. */
        MISSING_FIELD,
        /** Another item of the corpus already has this image id (e.g. {@code a.png} beside {@code a.jpg}). */
        DUPLICATE_ID
    }
}
