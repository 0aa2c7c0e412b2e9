package io.recap.shapes.oracle;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an image back into a scene. Steps, each chosen to survive blur and noise:
 * <ol>
 *   <li>background = mean of the pixels near the per-channel median (the background always
 *       covers most of the image; the mean, not the median, cancels clipped-noise bias);</li>
 *   <li>per grid cell, foreground = pixels of the 3x3-smoothed image far from the background;</li>
 *   <li>colour = the palette colour whose background-to-colour line best explains those pixels
 *       (blurred edge pixels are blends on that line, so they help instead of hurting);</li>
 *   <li>foreground fraction per pixel = projection onto that line; its sum is the area, which
 *       blur conserves; its centroid places the shape templates;</li>
 *   <li>shape = best template fit, size = side implied by area and shape vs. cell.</li>
 * </ol>
 * Cells whose content fits no template or no colour are reported UNPARSEABLE, not guessed.
 */
public final class Oracle {
  /** Minimum distance of a smoothed pixel from the background to count as foreground. */
  private static final double DETECT_DISTANCE = 0.2;
  /** Template error beyond noise, relative to area, above which a cell is a smear. */
  private static final double MAX_FIT_ERROR = 0.5;
  /** RMS distance from the nearest palette line above which the colour is not one of ours. */
  private static final double MAX_COLOUR_RESIDUAL = 0.2;
  /**
   * Centroid farther than this from the cell centre (in cells) means leakage or an object
   * straddling two cells (half of a straddler sits ~0.3 off). Rendered objects stay within
   * 0.04 jitter plus the triangle's 0.15 centroid offset.
   */
  private static final double MAX_CENTRE_OFFSET = 0.27;
  /** The smallest object's area relative to a cell: small triangle at minimum jitter. */
  private static final double SMALLEST_AREA = 0.5 * Math.pow(Size.SMALL.extent() * 0.95, 2);

  private static final double[][] PALETTE = Arrays.stream(Colour.values())
      .map(c -> PixelGrid.unit(c.rgb())).toArray(double[][]::new);

  private Oracle() {}

  /** The scene read from the image; cells the oracle cannot parse are left out. */
  public static Scene parse(BufferedImage image) {
    return analyze(image).scene();
  }

  /** Full reading with per-cell status and confidences. */
  public static OracleReading analyze(BufferedImage image) {
    if (image.getWidth() < 24 || image.getHeight() < 24) {
      throw new IllegalArgumentException("image too small for a 3x3 grid: "
          + image.getWidth() + "x" + image.getHeight());
    }
    PixelGrid raw = PixelGrid.of(image);
    PixelGrid smooth = raw.smoothed();
    BackgroundEstimate estimate = BackgroundEstimate.of(raw);
    double[] bg = estimate.rgb();
    double noiseVariance = estimate.noiseVariance();
    Background background = estimate.nearest();
    List<CellReading> readings = new ArrayList<>();
    List<SceneObject> objects = new ArrayList<>();
    for (Cell cell : Cell.values()) {
      CellReading reading = readCell(raw, smooth, cell, bg, noiseVariance);
      readings.add(reading);
      if (reading.status() == CellStatus.OBJECT) {
        objects.add(reading.object());
      }
    }
    double bgDistance = Math.sqrt(distanceSq(bg, PixelGrid.unit(background.rgb())));
    return new OracleReading(new Scene(background, objects), readings, bgDistance);
  }

  private static CellReading readCell(PixelGrid raw, PixelGrid smooth, Cell cell, double[] bg,
      double noiseVariance) {
    int x0 = bound(cell.column(), raw.width);
    int x1 = bound(cell.column() + 1, raw.width);
    int y0 = bound(cell.row(), raw.height);
    int y1 = bound(cell.row() + 1, raw.height);
    int w = x1 - x0;
    int h = y1 - y0;
    double cellSize = Math.sqrt(raw.width / 3.0 * raw.height / 3.0);
    double minMass = 0.35 * SMALLEST_AREA * cellSize * cellSize;

    boolean[] detected = new boolean[w * h];
    int detectedCount = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y0 + y) * raw.width + x0 + x;
        if (smooth.distanceSq(i, bg) > DETECT_DISTANCE * DETECT_DISTANCE) {
          detected[y * w + x] = true;
          detectedCount++;
        }
      }
    }
    if (detectedCount < 3) {
      return CellReading.empty(cell, 0);
    }

    // Colour: the palette line bg -> colour that explains the foreground pixels best.
    double[] residual = new double[PALETTE.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!detected[y * w + x]) {
          continue;
        }
        int i = (y0 + y) * raw.width + x0 + x;
        double[] p = {smooth.r[i] - bg[0], smooth.g[i] - bg[1], smooth.b[i] - bg[2]};
        for (int c = 0; c < PALETTE.length; c++) {
          residual[c] += lineResidualSq(p, direction(PALETTE[c], bg));
        }
      }
    }
    int best = 0;
    int second = -1;
    for (int c = 1; c < PALETTE.length; c++) {
      if (residual[c] < residual[best]) {
        second = best;
        best = c;
      } else if (second < 0 || residual[c] < residual[second]) {
        second = c;
      }
    }
    double colourConfidence = residual[second] <= 0 ? 0 : 1 - residual[best] / residual[second];
    double rmsResidual = Math.sqrt(residual[best] / detectedCount);
    Colour colour = Colour.values()[best];

    // Foreground fraction of every cell pixel along the chosen colour's line.
    double[] d = direction(PALETTE[best], bg);
    double dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    boolean[] region = dilate(detected, w, h);
    float[] alpha = new float[w * h];
    double mass = 0;
    double mx = 0;
    double my = 0;
    double weight = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y0 + y) * raw.width + x0 + x;
        double a = ((raw.r[i] - bg[0]) * d[0] + (raw.g[i] - bg[1]) * d[1]
            + (raw.b[i] - bg[2]) * d[2]) / dd;
        a = Math.max(-0.5, Math.min(1.5, a));
        alpha[y * w + x] = (float) a;
        if (region[y * w + x]) {
          mass += a;
          double wgt = Math.max(0, Math.min(1, a));
          mx += wgt * (x0 + x + 0.5);
          my += wgt * (y0 + y + 0.5);
          weight += wgt;
        }
      }
    }
    if (mass < minMass || weight <= 0) {
      return CellReading.empty(cell, mass);
    }
    double cx = mx / weight;
    double cy = my / weight;
    double offX = Math.abs(cx / (raw.width / 3.0) - (cell.column() + 0.5));
    double offY = Math.abs(cy / (raw.height / 3.0) - (cell.row() + 0.5));

    ShapeFitter.Fit[] fits = ShapeFitter.fitAll(alpha, w, h, x0, y0, cx, cy, mass);
    ShapeFitter.Fit bestFit = fits[0];
    for (ShapeFitter.Fit fit : fits) {
      if (fit.error() < bestFit.error()) {
        bestFit = fit;
      }
    }
    double secondError = Double.MAX_VALUE;
    for (ShapeFitter.Fit fit : fits) {
      if (fit != bestFit) {
        secondError = Math.min(secondError, fit.error());
      }
    }
    double shapeConfidence = secondError <= 0 ? 0 : 1 - bestFit.error() / secondError;
    double expectedNoise = w * h * noiseVariance / dd;
    double fitError = Math.max(0, bestFit.error() - expectedNoise) / Math.max(bestFit.energy(), 1);
    double relativeSide = bestFit.side() / cellSize;
    Shape shape = bestFit.shape();
    Size size = relativeSide > Size.THRESHOLD ? Size.LARGE : Size.SMALL;
    SceneObject object = new SceneObject(shape, colour, size, cell);

    String reason = "";
    if (offX > MAX_CENTRE_OFFSET || offY > MAX_CENTRE_OFFSET) {
      if (mass < 2 * minMass) {
        return CellReading.empty(cell, mass); // a neighbour's blurred fringe
      }
      reason = "object off-centre: straddles cells or is misplaced";
    } else if (rmsResidual > MAX_COLOUR_RESIDUAL) {
      reason = "colour matches no palette colour";
    } else if (fitError > MAX_FIT_ERROR) {
      reason = "shape matches no template";
    }
    CellStatus status = reason.isEmpty() ? CellStatus.OBJECT : CellStatus.UNPARSEABLE;
    return new CellReading(cell, status, object, mass, colourConfidence, shapeConfidence,
        fitError, relativeSide, reason);
  }

  /** First pixel index of grid line {@code k} (0..3): pixel x is in column floor((x+.5)*3/n). */
  private static int bound(int k, int n) {
    return (int) Math.ceil(k * n / 3.0 - 0.5);
  }

  private static double[] direction(double[] colour, double[] bg) {
    return new double[] {colour[0] - bg[0], colour[1] - bg[1], colour[2] - bg[2]};
  }

  /** Squared distance of p from the segment 0 -> d (blends of background and colour). */
  private static double lineResidualSq(double[] p, double[] d) {
    double dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    double t = Math.max(0, Math.min(1, (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) / dd));
    double e0 = p[0] - t * d[0];
    double e1 = p[1] - t * d[1];
    double e2 = p[2] - t * d[2];
    return e0 * e0 + e1 * e1 + e2 * e2;
  }

  private static boolean[] dilate(boolean[] mask, int w, int h) {
    boolean[] out = new boolean[mask.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!mask[y * w + x]) {
          continue;
        }
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
              out[yy * w + xx] = true;
            }
          }
        }
      }
    }
    return out;
  }

  static double distanceSq(double[] a, double[] b) {
    double s = 0;
    for (int c = 0; c < 3; c++) {
      s += (a[c] - b[c]) * (a[c] - b[c]);
    }
    return s;
  }
}
