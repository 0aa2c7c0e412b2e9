package io.recap.core.image;

import java.awt.image.BufferedImage;

/**
 * A validated image, normalised to {@link BufferedImage#TYPE_INT_RGB} so models see one pixel layout; {@code width}
 * and {@code height} are the encoded image's, which {@code image} may have been shrunk from ({@link DecodeBudget}).
 */
public record DecodedImage(BufferedImage image, ImageFormat format, int width, int height) {
}
