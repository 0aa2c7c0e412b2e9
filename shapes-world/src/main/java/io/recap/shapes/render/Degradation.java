package io.recap.shapes.render;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Image degradations that stand in for what a generative model does to a picture: blur and
 * pixel noise. Used to measure how robust the oracle is before it meets generated images.
 */
public final class Degradation {
  private Degradation() {}

  /** Adds independent Gaussian noise of standard deviation {@code sigma} (pixel range [0,1]). */
  public static BufferedImage gaussianNoise(BufferedImage source, double sigma, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int w = source.getWidth();
    int h = source.getHeight();
    int[] pixels = source.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < pixels.length; i++) {
      int rgb = pixels[i];
      int r = noisy((rgb >> 16) & 0xFF, sigma, random);
      int g = noisy((rgb >> 8) & 0xFF, sigma, random);
      int b = noisy(rgb & 0xFF, sigma, random);
      pixels[i] = (r << 16) | (g << 8) | b;
    }
    return image(pixels, w, h);
  }

  /** 3x3 box blur; edges repeat the border pixel. */
  public static BufferedImage boxBlur3(BufferedImage source) {
    int w = source.getWidth();
    int h = source.getHeight();
    int[] in = source.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[in.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int dy = -1; dy <= 1; dy++) {
          int row = clamp(y + dy, h) * w;
          for (int dx = -1; dx <= 1; dx++) {
            int rgb = in[row + clamp(x + dx, w)];
            r += (rgb >> 16) & 0xFF;
            g += (rgb >> 8) & 0xFF;
            b += rgb & 0xFF;
          }
        }
        out[y * w + x] = (Math.round(r / 9f) << 16) | (Math.round(g / 9f) << 8)
            | Math.round(b / 9f);
      }
    }
    return image(out, w, h);
  }

  private static BufferedImage image(int[] pixels, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, pixels, 0, w);
    return out;
  }

  /** The degradation the oracle's robustness target is stated for: 3x3 box blur, then noise. */
  public static BufferedImage blurThenNoise(BufferedImage source, double sigma, long seed) {
    return gaussianNoise(boxBlur3(source), sigma, seed);
  }

  private static int noisy(int value, double sigma, SplittableRandom random) {
    double v = value / 255.0 + gaussian(random) * sigma;
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
  }
}
