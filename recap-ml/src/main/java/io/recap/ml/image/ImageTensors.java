package io.recap.ml.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Images as model input: RGB, resized to a square side, channels first, values scaled from
 * [0, 255] to [-1, 1] (zero-centred inputs train faster, and diffusion models use this range).
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** A batch (B, 3, size, size) of images in [-1, 1], resized where needed. */
    public static NDArray toTensor(NDManager manager, List<BufferedImage> images, int size) {
        int plane = size * size;
        float[] data = new float[images.size() * 3 * plane];
        int[] argb = new int[plane];
        for (int b = 0; b < images.size(); b++) {
            BufferedImage image = resized(images.get(b), size);
            image.getRGB(0, 0, size, size, argb, 0, size);
            int offset = b * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int pixel = argb[p];
                data[offset + p] = ((pixel >> 16) & 0xFF) / 127.5f - 1f;
                data[offset + plane + p] = ((pixel >> 8) & 0xFF) / 127.5f - 1f;
                data[offset + 2 * plane + p] = (pixel & 0xFF) / 127.5f - 1f;
            }
        }
        return manager.create(data, new Shape(images.size(), 3, size, size));
    }

    /** Images from a (B, 3, H, W) tensor in [-1, 1]; values outside are clipped. */
    public static List<BufferedImage> toImages(NDArray tensor) {
        Shape shape = tensor.getShape();
        int batch = (int) shape.get(0);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int plane = height * width;
        float[] data = tensor.toFloatArray();
        BufferedImage[] images = new BufferedImage[batch];
        for (int b = 0; b < batch; b++) {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int offset = b * 3 * plane;
            for (int p = 0; p < plane; p++) {
                int r = toByte(data[offset + p]);
                int g = toByte(data[offset + plane + p]);
                int bl = toByte(data[offset + 2 * plane + p]);
                image.setRGB(p % width, p / width, (r << 16) | (g << 8) | bl);
            }
            images[b] = image;
        }
        return List.of(images);
    }

    private static int toByte(float value) {
        return Math.round(Math.max(0f, Math.min(255f, (value + 1f) * 127.5f)));
    }

    /**
     * A batch (B, 3, size, size) for an imported vision encoder: resized with {@code interpolation} (a
     * {@link RenderingHints} interpolation value), pixels in [0, 1] minus {@code mean}, divided by {@code std}, per
     * channel, as Hugging Face image processors prepare them.
     */
    public static NDArray toNormalizedTensor(NDManager manager, List<BufferedImage> images, int size,
            Object interpolation, float[] mean, float[] std) {
        List<BufferedImage> resized = images.stream().map(image -> resized(image, size, interpolation)).toList();
        NDArray unit = toTensor(manager, resized, size).add(1f).div(2f);
        NDArray shift = manager.create(mean, new Shape(1, 3, 1, 1));
        NDArray scale = manager.create(std, new Shape(1, 3, 1, 1));
        return unit.sub(shift).div(scale);
    }

    /** The image itself when already size x size, else a bilinear rescale. */
    public static BufferedImage resized(BufferedImage image, int size) {
        return resized(image, size, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }

    private static BufferedImage resized(BufferedImage image, int size, Object interpolation) {
        if (image.getWidth() == size && image.getHeight() == size) {
            return image;
        }
        BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            graphics.drawImage(image, 0, 0, size, size, null);
        } finally {
            graphics.dispose();
        }
        return scaled;
    }
}
