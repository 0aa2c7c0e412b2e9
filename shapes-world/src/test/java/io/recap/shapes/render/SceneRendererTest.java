package io.recap.shapes.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneRendererTest {
  private final Scene scene = SceneGenerator.generate(5, 3);

  @Test
  void rendersAtTheRequestedSizeIncluding32() {
    for (int size : new int[] {32, 64, 100}) {
      BufferedImage image = SceneRenderer.render(scene, size, 1);
      assertThat(image.getWidth()).isEqualTo(size);
      assertThat(image.getHeight()).isEqualTo(size);
    }
    assertThatThrownBy(() -> SceneRenderer.render(scene, 16))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void renderingIsDeterministicAndJitterVariesWithTheVariation() {
    assertThat(pixels(SceneRenderer.render(scene, 64, 7)))
        .isEqualTo(pixels(SceneRenderer.render(scene, 64, 7)));
    assertThat(pixels(SceneRenderer.render(scene, 64, 7)))
        .isNotEqualTo(pixels(SceneRenderer.render(scene, 64, 8)));
  }

  @Test
  void objectsStayInsideTheirCellAndUseTheirColour() {
    Scene one = new Scene(Background.BLACK, List.of(
        new SceneObject(Shape.SQUARE, Colour.RED, Size.LARGE, Cell.BOTTOM_RIGHT)));
    for (long variation = 0; variation < 50; variation++) {
      BufferedImage image = SceneRenderer.render(one, 60, variation);
      for (int y = 0; y < 60; y++) {
        for (int x = 0; x < 60; x++) {
          boolean inCell = x >= 40 && y >= 40;
          int rgb = image.getRGB(x, y) & 0xFFFFFF;
          if (!inCell) {
            assertThat(rgb).isEqualTo(Background.BLACK.rgb());
          }
        }
      }
      assertThat(image.getRGB(50, 50) & 0xFFFFFF).isEqualTo(Colour.RED.rgb());
    }
  }

  @Test
  void pngRoundTripIsLossless(@TempDir Path dir) throws Exception {
    BufferedImage image = SceneRenderer.render(scene, 32, 1);
    Path file = dir.resolve("s.png");
    SceneRenderer.writePng(image, file);
    assertThat(pixels(SceneRenderer.readImage(file))).isEqualTo(pixels(image));
  }

  @Test
  void degradationsAreDeterministicAndChangePixels() {
    BufferedImage image = SceneRenderer.render(scene, 32, 1);
    BufferedImage a = Degradation.blurThenNoise(image, 0.1, 9);
    assertThat(pixels(a)).isEqualTo(pixels(Degradation.blurThenNoise(image, 0.1, 9)));
    assertThat(pixels(a)).isNotEqualTo(pixels(image));
    BufferedImage flat = SceneRenderer.render(new Scene(Background.WHITE, List.of()), 32, 0);
    assertThat(pixels(Degradation.boxBlur3(flat))).isEqualTo(pixels(flat));
  }

  private static int[] pixels(BufferedImage image) {
    int[] p = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    return Arrays.stream(p).map(v -> v & 0xFFFFFF).toArray();
  }
}
