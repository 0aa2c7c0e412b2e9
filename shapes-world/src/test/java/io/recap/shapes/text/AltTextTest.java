package io.recap.shapes.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import org.junit.jupiter.api.Test;

/** Alt-text is as poor as web alt-text, measurably, and the measure itself is sound. */
class AltTextTest {
  private static final int SCENES = 2000;

  @Test
  void defaultAltTextStatesAboutAFifthOfTheAttributes() {
    double sum = 0;
    int credits = 0;
    int fileNames = 0;
    int nothing = 0;
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(41, i);
      String alt = CaptionWriter.write(CaptionKind.ALT, scene, SceneGenerator.sceneSeed(41, i));
      double coverage = AttributeCoverage.measure(alt, scene).fraction();
      sum += coverage;
      credits += alt.matches(".*(Photo by|©|courtesy|Credit|stock photo).*") ? 1 : 0;
      fileNames += alt.matches(".*\\.(jpg|JPG|png|jpeg).*") ? 1 : 0;
      nothing += coverage == 0 ? 1 : 0;
    }
    double mean = sum / SCENES;
    System.out.printf("alt-text attribute coverage (defaults, %d scenes): %.3f; credits %d, "
        + "file names %d, nothing right %d%n", SCENES, mean, credits, fileNames, nothing);
    assertThat(mean).isBetween(0.15, 0.30);
    assertThat(credits).isGreaterThan(SCENES / 10);
    assertThat(fileNames).isGreaterThan(SCENES / 10);
    assertThat(nothing).isGreaterThan(SCENES / 4);
  }

  @Test
  void altTextContainsWrongStatements() {
    int wrong = 0;
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(42, i);
      String alt = CaptionWriter.write(CaptionKind.ALT, scene, SceneGenerator.sceneSeed(42, i));
      boolean anyWrong = CaptionParser.parse(alt).mentions().stream()
          .filter(m -> m.colour() != null)
          .anyMatch(m -> scene.count(m.shape(), m.colour()) == 0);
      wrong += anyWrong ? 1 : 0;
    }
    assertThat(wrong).isGreaterThan(SCENES / 20);
  }

  @Test
  void coverageMeasureIsOneForAPerfectDescriptionAndZeroForNone() {
    AltTextConfig perfect = new AltTextConfig(0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0);
    for (int i = 0; i < 300; i++) {
      Scene scene = SceneGenerator.generate(43, i);
      String alt = AltTextWriter.write(scene, i, perfect);
      assertThat(AttributeCoverage.measure(alt, scene).fraction()).as(alt).isEqualTo(1.0);
      String longCaption = LongCaptionWriter.write(scene, i);
      assertThat(AttributeCoverage.measure(longCaption, scene).fraction()).isEqualTo(1.0);
    }
    AltTextConfig useless = new AltTextConfig(0.5, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    Scene scene = SceneGenerator.generate(43, 0);
    assertThat(AttributeCoverage.measure(AltTextWriter.write(scene, 1, useless), scene)
        .correct()).isZero();
  }
}
