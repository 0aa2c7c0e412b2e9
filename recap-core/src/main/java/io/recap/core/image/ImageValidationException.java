package io.recap.core.image;

/** Image bytes refused before or during decoding; {@link #reason()} is stable and machine-readable. */
public class ImageValidationException extends RuntimeException {

    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** More bytes than {@link ImageLimits#maxBytes()}. */
        TOO_LARGE_BYTES,
        /** Neither PNG, JPEG nor WebP magic bytes. */
        UNSUPPORTED_FORMAT,
        /** Recognised format but inconsistent content (bad header, checksum, or undecodable data). */
        CORRUPT,
        /** The data stops before the format's end marker (PNG IEND, JPEG EOI). */
        TRUNCATED,
        /** The header declares more pixels than {@link ImageLimits#maxPixels()}: a possible decompression bomb. */
        TOO_MANY_PIXELS
    }

    private final Reason reason;

    public ImageValidationException(Reason reason, String message) {
        this(reason, message, null);
    }

    public ImageValidationException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
