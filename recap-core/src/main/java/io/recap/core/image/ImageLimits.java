package io.recap.core.image;

/**
 * Upper bounds applied before decoding. {@code maxPixels} is what stops decompression bombs:
 * a tiny file can declare a huge canvas, and decoding it would allocate width × height × 4 bytes.
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096;
    public static final ImageLimits DEFAULTS = new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive: maxBytes=" + maxBytes
                    + ", maxPixels=" + maxPixels);
        }
    }
}
