package io.recap.shapes.match;

import static io.recap.shapes.match.MatchCategory.COLOUR;
import static io.recap.shapes.match.MatchCategory.COLOUR_BINDING;
import static io.recap.shapes.match.MatchCategory.COUNT;
import static io.recap.shapes.match.MatchCategory.OBJECT;
import static io.recap.shapes.match.MatchCategory.POSITION;
import static io.recap.shapes.match.MatchCategory.SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.render.Degradation;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionParser;
import io.recap.shapes.text.CaptionWriter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {
  private static final Scene TWO_RED_CIRCLES_AND_A_BLUE_SQUARE = new Scene(Background.WHITE,
      List.of(new SceneObject(Shape.CIRCLE, Colour.RED, Size.LARGE, Cell.TOP_LEFT),
          new SceneObject(Shape.CIRCLE, Colour.RED, Size.LARGE, Cell.CENTER),
          new SceneObject(Shape.SQUARE, Colour.BLUE, Size.SMALL, Cell.BOTTOM_RIGHT)));

  @Test
  void imagesRenderedFromTheirPromptPassEveryCategory() {
    List<MatchReport> longReports = new ArrayList<>();
    List<MatchReport> shortReports = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Scene scene = SceneGenerator.generate(51, i);
      long seed = SceneGenerator.sceneSeed(51, i);
      BufferedImage image = Degradation.blurThenNoise(SceneRenderer.render(scene, 64, seed),
          0.1, seed);
      longReports.add(Matcher.match(CaptionWriter.write(CaptionKind.LONG, scene, seed), image));
      shortReports.add(Matcher.match(CaptionWriter.write(CaptionKind.SHORT, scene, seed), image));
    }
    MatchSummary longSummary = MatchSummary.of(longReports);
    MatchSummary shortSummary = MatchSummary.of(shortReports);
    assertThat(longSummary.overall().rate()).isEqualTo(1.0);
    assertThat(longSummary.categories().keySet())
        .containsExactlyInAnyOrder(OBJECT, COUNT, COLOUR, COLOUR_BINDING, SIZE, POSITION);
    assertThat(shortSummary.overall().rate()).isEqualTo(1.0);
    // A SHORT prompt says nothing about size or position, so neither is judged.
    assertThat(shortSummary.categories()).doesNotContainKeys(SIZE, POSITION);
    assertThat(shortSummary.format()).contains("OVERALL", "1.000");
  }

  @Test
  void swappedColoursFailBindingButNotColour() {
    Scene swapped = new Scene(Background.WHITE, List.of(
        new SceneObject(Shape.CIRCLE, Colour.BLUE, Size.LARGE, Cell.TOP_LEFT),
        new SceneObject(Shape.CIRCLE, Colour.BLUE, Size.LARGE, Cell.CENTER),
        new SceneObject(Shape.SQUARE, Colour.RED, Size.SMALL, Cell.BOTTOM_RIGHT)));
    MatchReport report = Matcher.match(CaptionParser.parse("two red circles and a blue square"),
        swapped);
    assertThat(report.passed(COLOUR)).contains(true);
    assertThat(report.passed(COLOUR_BINDING)).contains(false);
    assertThat(report.passed(OBJECT)).contains(false);
    assertThat(report.overall()).isFalse();
  }

  @Test
  void wrongCountFailsCountOnly() {
    MatchReport report = Matcher.match(
        CaptionParser.parse("three red circles and a blue square"),
        TWO_RED_CIRCLES_AND_A_BLUE_SQUARE);
    assertThat(report.passed(OBJECT)).contains(true);
    assertThat(report.passed(COUNT)).contains(false);
    assertThat(report.passed(COLOUR_BINDING)).contains(true);
  }

  @Test
  void wrongPositionFailsPositionOnly() {
    MatchReport report = Matcher.match(CaptionParser.parse(
        "two large red circles at the top left and the center, and a small blue square at the "
            + "top right."), TWO_RED_CIRCLES_AND_A_BLUE_SQUARE);
    assertThat(report.passed(POSITION)).contains(false);
    assertThat(report.passed(SIZE)).contains(true);
    assertThat(report.passed(COUNT)).contains(true);
    assertThat(report.overall()).isFalse();
  }

  @Test
  void extraObjectOfAPromptedShapeInAnotherColourBreaksBinding() {
    Scene withExtra = new Scene(Background.WHITE, List.of(
        new SceneObject(Shape.CIRCLE, Colour.RED, Size.LARGE, Cell.TOP_LEFT),
        new SceneObject(Shape.SQUARE, Colour.BLUE, Size.SMALL, Cell.BOTTOM_RIGHT),
        new SceneObject(Shape.SQUARE, Colour.RED, Size.SMALL, Cell.BOTTOM_LEFT)));
    MatchReport report = Matcher.match(CaptionParser.parse("a red circle and a blue square"),
        withExtra);
    assertThat(report.passed(OBJECT)).contains(true);
    assertThat(report.passed(COLOUR_BINDING)).contains(false);
  }

  @Test
  void sceneAsPromptEvaluatesEverything() {
    BufferedImage image = SceneRenderer.render(TWO_RED_CIRCLES_AND_A_BLUE_SQUARE, 32);
    MatchReport report = Matcher.match(TWO_RED_CIRCLES_AND_A_BLUE_SQUARE, image);
    assertThat(report.overall()).isTrue();
    assertThat(report.results()).hasSize(MatchCategory.values().length);
    assertThat(report.unparseableCells()).isZero();
  }

  @Test
  void summaryCountsOnlyEvaluatedCategories() {
    MatchReport a = Matcher.match(CaptionParser.parse("two red circles"),
        TWO_RED_CIRCLES_AND_A_BLUE_SQUARE);
    MatchReport b = Matcher.match(CaptionParser.parse("a green cross at the center"),
        TWO_RED_CIRCLES_AND_A_BLUE_SQUARE);
    MatchSummary summary = MatchSummary.of(List.of(a, b));
    assertThat(summary.images()).isEqualTo(2);
    assertThat(summary.rate(OBJECT)).isEqualTo(0.5);
    assertThat(summary.categories().get(POSITION)).isEqualTo(new CategoryRate(1, 0));
    assertThat(summary.rate(SIZE)).isNaN();
    assertThat(summary.overall()).isEqualTo(new CategoryRate(2, 1));
  }
}
