package io.recap.core.image;

/** Image formats the platform accepts, recognised by their magic bytes (never by file name or MIME header). */
public enum ImageFormat {
    PNG("png", "image/png"),
    JPEG("jpeg", "image/jpeg"),
    /** Lossy (VP8), lossless (VP8L) or extended (VP8X); decoded by TwelveMonkeys' ImageIO plugin. */
    WEBP("webp", "image/webp");

    private final String imageIoName;
    private final String mimeType;

    ImageFormat(String imageIoName, String mimeType) {
        this.imageIoName = imageIoName;
        this.mimeType = mimeType;
    }

    /**
     * The format announced by a file's first bytes (8 are enough), without reading or checking the rest: a cheap
     * test that a file is worth handing to {@link ImageDecoder} at all, for callers that only list images.
     *
     * @throws ImageValidationException {@code UNSUPPORTED_FORMAT} for other magic bytes, {@code TRUNCATED} for
     *         input shorter than a PNG signature that matches its start (an empty file included)
     */
    public static ImageFormat sniff(byte[] head) {
        return ImageHeaders.sniff(head);
    }

    public String mimeType() {
        return mimeType;
    }

    String imageIoName() {
        return imageIoName;
    }
}
