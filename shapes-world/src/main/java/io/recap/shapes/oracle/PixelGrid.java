package io.recap.shapes.oracle;

import java.awt.image.BufferedImage;

/** An image as three float planes in [0,1], indexed {@code y * width + x}. */
final class PixelGrid {
  final int width;
  final int height;
  final float[] r;
  final float[] g;
  final float[] b;

  private PixelGrid(int width, int height) {
    this.width = width;
    this.height = height;
    int n = width * height;
    this.r = new float[n];
    this.g = new float[n];
    this.b = new float[n];
  }

  static PixelGrid of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    PixelGrid grid = new PixelGrid(w, h);
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      grid.r[i] = ((argb[i] >> 16) & 0xFF) / 255f;
      grid.g[i] = ((argb[i] >> 8) & 0xFF) / 255f;
      grid.b[i] = (argb[i] & 0xFF) / 255f;
    }
    return grid;
  }

  /** 3x3 mean filter: divides pixel noise by three before pixels are classified. */
  PixelGrid smoothed() {
    PixelGrid out = new PixelGrid(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        float sr = 0;
        float sg = 0;
        float sb = 0;
        for (int dy = -1; dy <= 1; dy++) {
          int yy = Math.min(height - 1, Math.max(0, y + dy));
          for (int dx = -1; dx <= 1; dx++) {
            int i = yy * width + Math.min(width - 1, Math.max(0, x + dx));
            sr += r[i];
            sg += g[i];
            sb += b[i];
          }
        }
        int o = y * width + x;
        out.r[o] = sr / 9;
        out.g[o] = sg / 9;
        out.b[o] = sb / 9;
      }
    }
    return out;
  }

  /** Squared distance of pixel {@code i} from a colour. */
  double distanceSq(int i, double[] rgb) {
    double dr = r[i] - rgb[0];
    double dg = g[i] - rgb[1];
    double db = b[i] - rgb[2];
    return dr * dr + dg * dg + db * db;
  }

  static double[] unit(int rgb) {
    return new double[] {((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
        (rgb & 0xFF) / 255.0};
  }
}
