package io.recap.shapes.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle says "unparseable" instead of guessing, and copes with other image sizes. */
class OracleRobustnessTest {
  @Test
  void emptyImageHasNoObjects() {
    BufferedImage image = SceneRenderer.render(new Scene(Background.BEIGE, List.of()), 64);
    OracleReading reading = Oracle.analyze(image);
    assertThat(reading.scene()).isEqualTo(new Scene(Background.BEIGE, List.of()));
    assertThat(reading.parseable()).isTrue();
  }

  @Test
  void parsesOtherImageSizesExactly() {
    for (int size : new int[] {40, 50, 96, 128}) {
      for (int i = 0; i < 100; i++) {
        Scene truth = SceneGenerator.generate(21, i);
        assertThat(Oracle.parse(SceneRenderer.render(truth, size, i))).as("size %d #%d", size, i)
            .isEqualTo(truth);
      }
    }
  }

  @Test
  void cleanObjectsCarryHighConfidence() {
    OracleReading reading = Oracle.analyze(SceneRenderer.render(SceneGenerator.generate(3, 3), 64));
    assertThat(reading.parseable()).isTrue();
    assertThat(reading.confidence()).isGreaterThan(0.3);
    assertThat(reading.backgroundDistance()).isLessThan(0.02);
  }

  @Test
  void colourSmearIsUnparseable() {
    BufferedImage image = blank();
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(22, 0, new Color(Colour.RED.rgb()), 42, 0,
        new Color(Colour.BLUE.rgb())));
    g.fill(new Ellipse2D.Double(23, 23, 18, 18));
    g.dispose();
    assertThat(status(image, Cell.CENTER)).isEqualTo(CellStatus.UNPARSEABLE);
  }

  @Test
  void objectStraddlingTwoCellsIsUnparseable() {
    BufferedImage image = blank();
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(Colour.GREEN.rgb()));
    g.fill(new Ellipse2D.Double(33, 23, 18, 18)); // centred on the centre/right boundary
    g.dispose();
    OracleReading reading = Oracle.analyze(image);
    assertThat(reading.parseable()).isFalse();
    assertThat(reading.scene().objects()).isEmpty();
  }

  @Test
  void shapeLikeNoTemplateIsUnparseable() {
    BufferedImage image = blank();
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(Colour.PURPLE.rgb()));
    g.fillRect(22, 30, 20, 3); // a thin bar, not one of the shapes
    g.fillRect(22, 23, 3, 18);
    g.dispose();
    assertThat(status(image, Cell.CENTER)).isEqualTo(CellStatus.UNPARSEABLE);
  }

  private static CellStatus status(BufferedImage image, Cell cell) {
    return Oracle.analyze(image).cells().get(cell.ordinal()).status();
  }

  private static BufferedImage blank() {
    return SceneRenderer.render(new Scene(Background.WHITE, List.of()), 64);
  }
}
