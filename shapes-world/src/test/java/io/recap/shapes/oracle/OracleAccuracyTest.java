package io.recap.shapes.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.render.Degradation;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.scene.Seeds;
import java.awt.image.BufferedImage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The oracle's acceptance targets, measured on freshly generated scenes: exact recovery of
 * every object's shape, colour, size and cell (and so of the counts) and of the background.
 */
class OracleAccuracyTest {
  private static final int SCENES = 2000;
  private static final double SIGMA = 0.1;

  @Test
  void recoversCleanScenesAt64() {
    double rate = exactRate(64, 11, UnaryOperator.identity(), "clean 64x64");
    assertThat(rate).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void recoversBlurredNoisyScenesAt64() {
    double rate = exactRate(64, 12, null, "blur+noise 64x64");
    assertThat(rate).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void recoversCleanScenesAt32() {
    double rate = exactRate(32, 13, UnaryOperator.identity(), "clean 32x32");
    assertThat(rate).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void recoversBlurredNoisyScenesAt32() {
    double rate = exactRate(32, 14, null, "blur+noise 32x32");
    assertThat(rate).isGreaterThanOrEqualTo(0.92);
  }

  /** A null degradation means: 3x3 box blur, then Gaussian noise seeded per scene. */
  private static double exactRate(int size, long seed, UnaryOperator<BufferedImage> degrade,
      String label) {
    int exact = 0;
    java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
    for (int i = 0; i < SCENES; i++) {
      Scene truth = SceneGenerator.generate(seed, i);
      BufferedImage image = SceneRenderer.render(truth, size, SceneGenerator.sceneSeed(seed, i));
      long noiseSeed = Seeds.mix(seed ^ 0x5EED, i);
      image = degrade != null ? degrade.apply(image)
          : Degradation.blurThenNoise(image, SIGMA, noiseSeed);
      Scene read = Oracle.parse(image);
      if (read.equals(truth)) {
        exact++;
      } else {
        failures.merge(describe(truth, read), 1, Integer::sum);
      }
    }
    double rate = exact / (double) SCENES;
    System.out.printf("oracle exact-parse rate, %s: %.4f (%d/%d) failures %s%n", label, rate,
        exact, SCENES, failures);
    return rate;
  }

  private static String describe(Scene truth, Scene read) {
    if (truth.objects().size() != read.objects().size()) {
      return "objects " + truth.objects().size() + "->" + read.objects().size();
    }
    if (truth.background() != read.background()) {
      return "background";
    }
    for (int k = 0; k < truth.objects().size(); k++) {
      var t = truth.objects().get(k);
      var r = read.objects().get(k);
      if (t.cell() != r.cell()) {
        return "cell";
      }
      if (t.shape() != r.shape()) {
        return t.shape() + "->" + r.shape() + "(" + t.size() + ")";
      }
      if (t.colour() != r.colour()) {
        return t.colour() + "->" + r.colour();
      }
      if (t.size() != r.size()) {
        return t.size() + "->" + r.size() + "(" + t.shape() + ")";
      }
    }
    return "?";
  }
}
