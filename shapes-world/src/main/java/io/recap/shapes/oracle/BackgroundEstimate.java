package io.recap.shapes.oracle;

import io.recap.shapes.scene.Background;

/**
 * The background colour and pixel noise of an image. The background always covers most of a
 * ShapesWorld image, so the per-channel median lands on it; the estimate is then the mean of the
 * pixels near that median, because the mean (unlike the median) cancels the bias that clipping
 * adds to noise on very light or dark backgrounds.
 *
 * @param rgb background colour, channels in [0,1]
 * @param noiseVariance per-channel variance of the background pixels
 */
record BackgroundEstimate(double[] rgb, double noiseVariance) {
  private static final double NEAR_MEDIAN = 0.3;

  static BackgroundEstimate of(PixelGrid raw) {
    double[] median = {median(raw.r), median(raw.g), median(raw.b)};
    double[] sum = new double[3];
    double[] sumSq = new double[3];
    int n = 0;
    for (int i = 0; i < raw.r.length; i++) {
      if (raw.distanceSq(i, median) < NEAR_MEDIAN * NEAR_MEDIAN) {
        float[] p = {raw.r[i], raw.g[i], raw.b[i]};
        for (int c = 0; c < 3; c++) {
          sum[c] += p[c];
          sumSq[c] += p[c] * p[c];
        }
        n++;
      }
    }
    if (n == 0) {
      return new BackgroundEstimate(median, 0);
    }
    double variance = 0;
    double[] mean = new double[3];
    for (int c = 0; c < 3; c++) {
      mean[c] = sum[c] / n;
      variance += Math.max(0, sumSq[c] / n - mean[c] * mean[c]) / 3;
    }
    return new BackgroundEstimate(mean, variance);
  }

  /** The named background closest in RGB. */
  Background nearest() {
    Background best = Background.WHITE;
    double bestDistance = Double.MAX_VALUE;
    for (Background b : Background.values()) {
      double distance = Oracle.distanceSq(rgb, PixelGrid.unit(b.rgb()));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = b;
      }
    }
    return best;
  }

  /** Median of values that are multiples of 1/255, by histogram. */
  private static float median(float[] values) {
    int[] histogram = new int[256];
    for (float v : values) {
      histogram[Math.round(v * 255)]++;
    }
    int seen = 0;
    for (int level = 0; level < 256; level++) {
      seen += histogram[level];
      if (seen > values.length / 2) {
        return level / 255f;
      }
    }
    return 1f;
  }
}
