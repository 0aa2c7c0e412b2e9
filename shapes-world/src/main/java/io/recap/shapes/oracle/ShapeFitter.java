package io.recap.shapes.oracle;

import io.recap.shapes.scene.Shape;

/**
 * Template matching of a foreground-fraction map against every shape. Each template is placed
 * from the map's moments (mass gives the side once the shape's fill ratio is assumed, the
 * centroid gives the centre); the two best shapes are then refined by a small search over scale
 * and offset, since noise moves mass and centroid a little. Templates are also compared blurred
 * once and twice because rendered-then-degraded and generated images are blurry.
 */
final class ShapeFitter {
  private static final int SUPERSAMPLE = 4;
  private static final int BLUR_LEVELS = 3;
  /** Small refinements of the moment-based placement; noise moves centroid and mass a little. */
  private static final double[] SCALES = {0.92, 1, 1.08};
  private static final double[] OFFSETS = {-0.4, 0, 0.4};

  /** Result of fitting one shape. */
  record Fit(Shape shape, double side, double error, double energy) {}

  private ShapeFitter() {}

  /**
   * @param alpha foreground fraction per pixel of a window, row-major, {@code w * h}
   * @param x0 window's left pixel column in image coordinates (y0 likewise)
   * @param cx area centroid in image pixel coordinates (cy likewise)
   * @param mass sum of the foreground fractions
   * @return one fit per shape, in {@link Shape} order
   */
  static Fit[] fitAll(float[] alpha, int w, int h, int x0, int y0, double cx, double cy,
      double mass) {
    Window window = new Window(alpha, w, h, x0, y0, cx, cy, mass);
    Fit[] fits = new Fit[Shape.values().length];
    for (Shape shape : Shape.values()) {
      double side = Math.sqrt(Math.max(mass, 1e-6) / shape.fillRatio());
      fits[shape.ordinal()] = window.place(shape, side, 0, 0);
    }
    // Refine only the two front-runners: each search costs 7 placements.
    Fit[] ranked = fits.clone();
    java.util.Arrays.sort(ranked, java.util.Comparator.comparingDouble(Fit::error));
    for (int k = 0; k < 2; k++) {
      Shape shape = ranked[k].shape();
      fits[shape.ordinal()] = window.fit(shape, SCALES, OFFSETS);
    }
    return fits;
  }

  /** The map being fitted and its moments. */
  private record Window(float[] alpha, int w, int h, int x0, int y0, double cx, double cy,
      double mass) {
    /** Coordinate search: best scale, then best x offset, then best y offset. */
    Fit fit(Shape shape, double[] scales, double[] offsets) {
      double baseSide = Math.sqrt(Math.max(mass, 1e-6) / shape.fillRatio());
      Fit best = place(shape, baseSide, 0, 0);
      double scale = 1;
      for (double s : scales) {
        Fit fit = s == 1 ? best : place(shape, baseSide * s, 0, 0);
        if (fit.error() < best.error()) {
          best = fit;
          scale = s;
        }
      }
      double side = baseSide * scale;
      double ox = 0;
      for (double o : offsets) {
        Fit fit = o == 0 ? best : place(shape, side, o, 0);
        if (fit.error() < best.error()) {
          best = fit;
          ox = o;
        }
      }
      for (double o : offsets) {
        Fit fit = o == 0 ? best : place(shape, side, ox, o);
        if (fit.error() < best.error()) {
          best = fit;
        }
      }
      return best;
    }

    /** Best blur level for one placement. */
    private Fit place(Shape shape, double side, double ox, double oy) {
      double boxCy = cy + oy - shape.centroidOffset() * side;
      float[] template = coverage(shape, w, h, x0, y0, cx + ox, boxCy, side);
      Fit best = null;
      for (int level = 0; level < BLUR_LEVELS; level++) {
        if (level > 0) {
          template = boxBlur(template, w, h);
        }
        Fit fit = compare(shape, side, template);
        if (best == null || fit.error() < best.error()) {
          best = fit;
        }
      }
      return best;
    }

    private Fit compare(Shape shape, double side, float[] template) {
      double ssd = 0;
      double energy = 0;
      for (int i = 0; i < alpha.length; i++) {
        double d = alpha[i] - template[i];
        ssd += d * d;
        energy += template[i] * template[i];
      }
      return new Fit(shape, side, ssd, energy);
    }
  }

  /** Fraction of each window pixel covered by the shape, by supersampling. */
  static float[] coverage(Shape shape, int w, int h, int x0, int y0, double cx, double cy,
      double side) {
    float[] out = new float[w * h];
    // Big shapes need less sub-pixel precision: only their edge pixels are partial.
    int samples = side < 12 ? SUPERSAMPLE : SUPERSAMPLE / 2;
    double step = 1.0 / samples;
    double reach = side * 0.75 + 1;
    for (int y = 0; y < h; y++) {
      double py = y0 + y;
      if (Math.abs(py + 0.5 - cy) > reach) {
        continue;
      }
      for (int x = 0; x < w; x++) {
        double px = x0 + x;
        if (Math.abs(px + 0.5 - cx) > reach) {
          continue;
        }
        int inside = 0;
        for (int sy = 0; sy < samples; sy++) {
          double dy = (py + (sy + 0.5) * step - cy) / side;
          for (int sx = 0; sx < samples; sx++) {
            double dx = (px + (sx + 0.5) * step - cx) / side;
            if (shape.contains(dx, dy)) {
              inside++;
            }
          }
        }
        out[y * w + x] = inside / (float) (samples * samples);
      }
    }
    return out;
  }

  /** 3x3 box blur, separable, edges repeated. */
  static float[] boxBlur(float[] in, int w, int h) {
    float[] rows = new float[in.length];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        rows[o + x] = in[o + Math.max(0, x - 1)] + in[o + x] + in[o + Math.min(w - 1, x + 1)];
      }
    }
    float[] out = new float[in.length];
    for (int y = 0; y < h; y++) {
      int up = Math.max(0, y - 1) * w;
      int down = Math.min(h - 1, y + 1) * w;
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (rows[up + x] + rows[y * w + x] + rows[down + x]) / 9;
      }
    }
    return out;
  }
}
