package io.recap.core.image;

import java.awt.image.BufferedImage;

/** A validated image, normalised to {@link BufferedImage#TYPE_INT_RGB} so models see one pixel layout. */
public record DecodedImage(BufferedImage image, ImageFormat format, int width, int height) {
}
