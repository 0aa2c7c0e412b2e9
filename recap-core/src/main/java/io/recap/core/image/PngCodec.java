package io.recap.core.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes images as PNG in memory (generated images, ShapesWorld scenes, test fixtures). */
public final class PngCodec {

    private PngCodec() {
    }

    public static byte[] encode(BufferedImage image) {
        if (image == null) {
            throw new IllegalArgumentException("image is required");
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Memory-backed stream: ImageIO.write(image, "png", out) may spill to a temporary file.
        try (ImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
