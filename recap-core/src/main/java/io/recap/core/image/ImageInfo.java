package io.recap.core.image;

/** Format and size read from an image's header, without decoding its pixels. */
public record ImageInfo(ImageFormat format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }
}
