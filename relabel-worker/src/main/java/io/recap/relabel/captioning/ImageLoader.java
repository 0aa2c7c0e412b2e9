package io.recap.relabel.captioning;

import io.recap.core.domain.ImageRef;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageValidationException;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.core.store.UnsafePathException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.springframework.stereotype.Component;

/**
 * Reads one image by reference: inline bytes, a file, or a member of a tar file (a WebDataset shard, read in
 * place). A reference outside the allowed roots is refused before any byte is read; size limits are checked
 * before the file or member is read whole and again from the header.
 */
@Component
public class ImageLoader {

    /** The image, or why it could not be had; exactly one is present. */
    public record Loaded(BufferedImage image, String errorCode, String errorMessage) {

        static Loaded failed(String code, String message) {
            return new Loaded(null, code, message);
        }

        public boolean ok() {
            return image != null;
        }
    }

    private final AllowedRoots roots;
    private final ImageDecoder decoder;

    public ImageLoader(AllowedRoots roots, ImageDecoder decoder) {
        this.roots = roots;
        this.decoder = decoder;
    }

    public Loaded load(ImageRef ref) {
        try {
            byte[] bytes = switch (ref.source()) {
                case INLINE -> ref.inlineBytes();
                case FILE, TAR -> LocalImageBytes.read(roots, ref, decoder.limits().maxBytes());
                case S3 -> null;
            };
            if (bytes == null) {
                return Loaded.failed("UNSUPPORTED_SOURCE", "s3 references are not readable by this worker");
            }
            return new Loaded(decoder.decode(bytes).image(), null, null);
        } catch (UnsafePathException e) {
            return Loaded.failed("OUTSIDE_ALLOWED_ROOTS", e.getMessage());
        } catch (ImageValidationException e) {
            return Loaded.failed(e.reason().name(), e.getMessage());
        } catch (NoSuchFileException e) {
            return Loaded.failed("NOT_FOUND", "no such image: " + ref.uri());
        } catch (IOException e) {
            return Loaded.failed("UNREADABLE", e.getMessage());
        }
    }
}
