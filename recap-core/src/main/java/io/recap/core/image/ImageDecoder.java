package io.recap.core.image;

import io.recap.core.image.ImageValidationException.Reason;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns untrusted bytes into an RGB image, or a typed {@link ImageValidationException}. Checks run
 * cheapest first and all before pixel decoding: emptiness, byte limit, magic bytes, header size
 * against the pixel limit (decompression bombs), then container completeness (truncation). A JPEG's EXIF
 * orientation is applied after decoding, so the image comes out upright.
 * Thread-safe: each call uses its own ImageIO reader.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder() {
        this(ImageLimits.DEFAULTS);
    }

    public ImageDecoder(ImageLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("image limits are required");
        }
        this.limits = limits;
    }

    public ImageLimits limits() {
        return limits;
    }

    /** All checks except pixel decoding; returns the format and size from the header. */
    public ImageInfo probe(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageValidationException(Reason.EMPTY, "no image bytes");
        }
        if (bytes.length > limits.maxBytes()) {
            throw new ImageValidationException(Reason.TOO_LARGE_BYTES, "image has " + bytes.length
                    + " bytes; the limit is " + limits.maxBytes());
        }
        ImageFormat format = ImageHeaders.sniff(bytes);
        ImageInfo info = ImageHeaders.readInfo(format, bytes);
        if (info.pixels() > limits.maxPixels()) {
            throw new ImageValidationException(Reason.TOO_MANY_PIXELS, format + " header declares "
                    + info.width() + "x" + info.height() + " = " + info.pixels() + " pixels; the limit is "
                    + limits.maxPixels());
        }
        ImageHeaders.verifyComplete(format, bytes);
        return info;
    }

    public DecodedImage decode(byte[] bytes) {
        ImageInfo info = probe(bytes);
        BufferedImage decoded = readPixels(info.format(), bytes);
        if (decoded.getWidth() != info.width() || decoded.getHeight() != info.height()) {
            throw new ImageValidationException(Reason.CORRUPT, "decoded size " + decoded.getWidth() + "x"
                    + decoded.getHeight() + " differs from the header's " + info.width() + "x" + info.height());
        }
        BufferedImage upright = info.format() == ImageFormat.JPEG
                ? orient(toRgb(decoded), ImageHeaders.jpegOrientation(bytes))
                : toRgb(decoded);
        return new DecodedImage(upright, info.format(), upright.getWidth(), upright.getHeight());
    }

    /**
     * Turns the stored pixels the way EXIF orientation {@code orientation} says (1 = as stored; 2..8 the mirrorings
     * and quarter turns of the TIFF specification), so that every consumer sees the photo upright. Orientations 5..8
     * swap width and height.
     */
    static BufferedImage orient(BufferedImage source, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return source;
        }
        int w = source.getWidth();
        int h = source.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage target = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = source.getRGB(x, y);
                switch (orientation) {
                    case 2 -> target.setRGB(w - 1 - x, y, rgb);
                    case 3 -> target.setRGB(w - 1 - x, h - 1 - y, rgb);
                    case 4 -> target.setRGB(x, h - 1 - y, rgb);
                    case 5 -> target.setRGB(y, x, rgb);
                    case 6 -> target.setRGB(h - 1 - y, x, rgb);
                    case 7 -> target.setRGB(h - 1 - y, w - 1 - x, rgb);
                    default -> target.setRGB(y, w - 1 - x, rgb); // 8
                }
            }
        }
        return target;
    }

    private static BufferedImage readPixels(ImageFormat format, byte[] bytes) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new ImageValidationException(Reason.UNSUPPORTED_FORMAT, "no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        // Memory-backed stream: ImageIO's default cache would write temporary files for every image.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            return reader.read(0);
        } catch (IOException | RuntimeException e) {
            // IIOException for bad data; decoders also throw unchecked exceptions on hostile input.
            throw new ImageValidationException(Reason.CORRUPT, "cannot decode " + format + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Normalises to TYPE_INT_RGB. Transparent pixels are composited over white (what a viewer shows).
     * Grey images are copied sample by sample: drawing them through Java2D would treat the grey as
     * linear and brighten it.
     */
    static BufferedImage toRgb(BufferedImage source) {
        if (source.getType() == BufferedImage.TYPE_INT_RGB) {
            return source;
        }
        int width = source.getWidth();
        int height = source.getHeight();
        BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        if (source.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            copyGray(source.getRaster(), source.getColorModel().hasAlpha(), rgb);
            return rgb;
        }
        Graphics2D graphics = rgb.createGraphics();
        try {
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, width, height);
            graphics.drawImage(source, 0, 0, null);
        } finally {
            graphics.dispose();
        }
        return rgb;
    }

    private static void copyGray(Raster raster, boolean hasAlpha, BufferedImage target) {
        int grayMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        int alphaMax = hasAlpha ? (1 << raster.getSampleModel().getSampleSize(1)) - 1 : 1;
        int width = raster.getWidth();
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < width; x++) {
                int gray = raster.getSample(x, y, 0) * 255 / grayMax;
                if (hasAlpha) {
                    int alpha = raster.getSample(x, y, 1);
                    gray = (gray * alpha + 255 * (alphaMax - alpha)) / alphaMax;
                }
                target.setRGB(x, y, (gray << 16) | (gray << 8) | gray);
            }
        }
    }
}
