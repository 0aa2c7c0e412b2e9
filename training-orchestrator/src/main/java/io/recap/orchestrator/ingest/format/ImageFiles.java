package io.recap.orchestrator.ingest.format;

import io.recap.core.image.ImageFormat;
import io.recap.core.image.ImageValidationException;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.UnsafePathException;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Confines the files a corpus names to the allowed roots (symlinks followed) and checks that an image starts
 * like a PNG, JPEG or WebP. Only the first bytes are read: the relabel worker reads, limits and decodes every image
 * anyway ({@code ImageLoader} → {@code ImageDecoder}) and reports a truncated or corrupt one per image, so
 * decoding here would double the cost of ingest to catch nothing more that matters before then.
 */
final class ImageFiles {

    private static final int HEAD_BYTES = 12;

    private final AllowedRoots roots;

    ImageFiles(AllowedRoots roots) {
        this.roots = roots;
    }

    /**
     * @param dir the corpus directory (a real path under the roots)
     * @param written the image as the corpus names it: relative to {@code dir}, or absolute
     * @return the image's real path
     * @throws ItemRejectedException {@code UNSAFE_PATH}, {@code MISSING_IMAGE}, {@code UNREADABLE_FILE} or
     *         {@code UNSUPPORTED_IMAGE}
     */
    Path image(Path dir, String written) {
        Path image = confine(dir, written);
        if (!Files.exists(image)) {
            throw new ItemRejectedException(Reason.MISSING_IMAGE, "no such file: " + image);
        }
        if (!Files.isRegularFile(image)) {
            throw new ItemRejectedException(Reason.MISSING_IMAGE, "not a regular file: " + image);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(image)) {
            head = in.readNBytes(HEAD_BYTES);
        } catch (IOException e) {
            throw new ItemRejectedException(Reason.UNREADABLE_FILE, "cannot read " + image + ": " + e.getMessage());
        }
        if (head.length == 0) {
            throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, "the file is empty");
        }
        try {
            ImageFormat.sniff(head);
        } catch (ImageValidationException e) {
            throw new ItemRejectedException(Reason.UNSUPPORTED_IMAGE, "not a PNG, JPEG or WebP image: " + e.getMessage());
        }
        return image;
    }

    /**
     * The real path of {@code dir/written}. Sidecar texts go through here too: they are read, so a symlinked
     * {@code .txt} must not lead out of the roots either.
     *
     * @throws ItemRejectedException {@code UNSAFE_PATH}
     */
    Path confine(Path dir, String written) {
        try {
            return roots.resolve(dir.resolve(written).toString());
        } catch (InvalidPathException | UnsafePathException e) {
            throw new ItemRejectedException(Reason.UNSAFE_PATH, e.getMessage());
        }
    }
}
