package io.recap.core.image;

/** Image formats the platform accepts, recognised by their magic bytes (never by file name or MIME header). */
public enum ImageFormat {
    PNG("png", "image/png"),
    JPEG("jpeg", "image/jpeg");

    private final String imageIoName;
    private final String mimeType;

    ImageFormat(String imageIoName, String mimeType) {
        this.imageIoName = imageIoName;
        this.mimeType = mimeType;
    }

    public String mimeType() {
        return mimeType;
    }

    String imageIoName() {
        return imageIoName;
    }
}
