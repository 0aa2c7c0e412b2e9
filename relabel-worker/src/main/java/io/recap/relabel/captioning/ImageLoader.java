package io.recap.relabel.captioning;

import io.recap.core.domain.ImageRef;
import io.recap.core.image.DecodeBudget;
import io.recap.core.image.ImageDecoder;
import io.recap.core.image.ImageValidationException;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.LocalImageBytes;
import io.recap.core.store.UnsafePathException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.function.UnaryOperator;
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
    private final DecodeBudget budget;

    public ImageLoader(AllowedRoots roots, ImageDecoder decoder, DecodeBudget budget) {
        this.roots = roots;
        this.decoder = decoder;
        this.budget = budget;
    }

    /** The image at its own size. */
    public Loaded load(ImageRef ref) {
        return load(ref, UnaryOperator.identity());
    }

    /**
     * The image, decoded within the worker's {@link DecodeBudget} (shared by its consumer threads) and passed through
     * {@code shrink} at once, so that a batch of large images never holds more than the budget of full-size pixels.
     *
     * @throws io.recap.core.image.DecodeBudgetExhaustedException when no room came within the budget's wait: not the
     *     image's fault, so the batch is retried rather than the image failed
     */
    public Loaded load(ImageRef ref, UnaryOperator<BufferedImage> shrink) {
        try {
            byte[] bytes = switch (ref.source()) {
                case INLINE -> ref.inlineBytes();
                case FILE, TAR -> LocalImageBytes.read(roots, ref, decoder.limits().maxBytes());
                case S3 -> null;
            };
            if (bytes == null) {
                return Loaded.failed("UNSUPPORTED_SOURCE", "s3 references are not readable by this worker");
            }
            return new Loaded(budget.decode(decoder, bytes, shrink).image(), null, null);
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
