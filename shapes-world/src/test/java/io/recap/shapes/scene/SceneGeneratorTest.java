package io.recap.shapes.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
  @Test
  void sceneDependsOnlyOnSeedAndIndex() {
    Scene direct = SceneGenerator.generate(42, 1234);
    for (int i = 0; i < 1234; i += 97) {
      SceneGenerator.generate(42, i); // generating others first changes nothing
    }
    assertThat(SceneGenerator.generate(42, 1234)).isEqualTo(direct);
    assertThat(SceneGenerator.generate(43, 1234)).isNotEqualTo(direct);
    assertThat(SceneGenerator.sceneSeed(42, 1)).isNotEqualTo(SceneGenerator.sceneSeed(42, 2));
  }

  @Test
  void scenesCoverEveryAttributeAndCounting() {
    Set<Shape> shapes = EnumSet.noneOf(Shape.class);
    Set<Colour> colours = EnumSet.noneOf(Colour.class);
    Set<Size> sizes = EnumSet.noneOf(Size.class);
    Set<Cell> cells = EnumSet.noneOf(Cell.class);
    Set<Background> backgrounds = EnumSet.noneOf(Background.class);
    int[] objectCounts = new int[5];
    int withRepeats = 0;
    for (int i = 0; i < 2000; i++) {
      Scene scene = SceneGenerator.generate(1, i);
      objectCounts[scene.objects().size()]++;
      backgrounds.add(scene.background());
      for (SceneObject o : scene.objects()) {
        shapes.add(o.shape());
        colours.add(o.colour());
        sizes.add(o.size());
        cells.add(o.cell());
      }
      List<ObjectGroup> groups = scene.groups();
      if (groups.stream().anyMatch(g -> g.count() > 1)) {
        withRepeats++;
      }
      // Groups differ in shape or colour, so "the red circles" is never ambiguous.
      assertThat(groups).hasSameSizeAs(scene.classes());
    }
    assertThat(objectCounts[0]).isZero();
    for (int n = 1; n <= 4; n++) {
      assertThat(objectCounts[n]).as("scenes with %d objects", n).isGreaterThan(300);
    }
    assertThat(shapes).hasSize(Shape.values().length).hasSizeGreaterThanOrEqualTo(4);
    assertThat(colours).hasSize(Colour.values().length).hasSizeGreaterThanOrEqualTo(6);
    assertThat(sizes).hasSize(2);
    assertThat(cells).hasSize(9);
    assertThat(backgrounds).hasSize(Background.values().length);
    assertThat(withRepeats).isGreaterThan(300);
  }

  @Test
  void coloursAreWellSeparatedFromEachOtherAndFromBackgrounds() {
    for (Colour a : Colour.values()) {
      for (Colour b : Colour.values()) {
        if (a != b) {
          assertThat(distance(a.rgb(), b.rgb())).as("%s vs %s", a, b).isGreaterThan(85);
        }
      }
      for (Background bg : Background.values()) {
        assertThat(distance(a.rgb(), bg.rgb())).as("%s on %s", a, bg).isGreaterThan(110);
      }
    }
  }

  @Test
  void sceneRejectsTwoObjectsInOneCellAndSortsByCell() {
    SceneObject a = new SceneObject(Shape.CIRCLE, Colour.RED, Size.SMALL, Cell.CENTER);
    SceneObject b = new SceneObject(Shape.SQUARE, Colour.BLUE, Size.LARGE, Cell.CENTER);
    assertThatThrownBy(() -> new Scene(Background.WHITE, List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class);
    SceneObject c = new SceneObject(Shape.SQUARE, Colour.BLUE, Size.LARGE, Cell.TOP_LEFT);
    assertThat(new Scene(Background.WHITE, List.of(a, c)))
        .isEqualTo(new Scene(Background.WHITE, List.of(c, a)));
  }

  @Test
  void shapeGeometryHasTheDocumentedFillRatios() {
    int n = 400;
    for (Shape shape : Shape.values()) {
      int inside = 0;
      double sumY = 0;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double dx = (x + 0.5) / n - 0.5;
          double dy = (y + 0.5) / n - 0.5;
          if (shape.contains(dx, dy)) {
            inside++;
            sumY += dy;
          }
        }
      }
      assertThat(inside / (double) (n * n)).as("%s fill", shape)
          .isCloseTo(shape.fillRatio(), org.assertj.core.data.Offset.offset(0.01));
      assertThat(sumY / inside).as("%s centroid", shape)
          .isCloseTo(shape.centroidOffset(), org.assertj.core.data.Offset.offset(0.01));
    }
  }

  private static double distance(int a, int b) {
    double s = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      int d = ((a >> shift) & 0xFF) - ((b >> shift) & 0xFF);
      s += d * d;
    }
    return Math.sqrt(s);
  }
}
