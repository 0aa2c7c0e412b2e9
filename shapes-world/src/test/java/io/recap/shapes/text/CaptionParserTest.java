package io.recap.shapes.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionParserTest {
  @Test
  void readsObjectPhrasesWithTheirPositions() {
    TextScene parsed = CaptionParser.parse("Drawn on a dark grey background are two big green "
        + "plus signs at the middle left and middle right, and a little-sized red disc in the "
        + "upper-right corner.");
    assertThat(parsed.background()).isEqualTo(Background.DARK_GREY);
    assertThat(parsed.mentions()).containsExactly(
        new Mention(Shape.CROSS, Colour.GREEN, Size.LARGE, 2, true,
            List.of(Cell.MIDDLE_LEFT, Cell.MIDDLE_RIGHT)),
        new Mention(Shape.CIRCLE, Colour.RED, Size.SMALL, 1, false, List.of(Cell.TOP_RIGHT)));
  }

  @Test
  void readsDistributivePositionsAndTrailingSizes() {
    TextScene parsed = CaptionParser.parse("A pair of orange squares (both small), one at the "
        + "top and another in the centre; a single blue triangle (large) at the bottom center.");
    assertThat(parsed.mentions()).containsExactly(
        new Mention(Shape.SQUARE, Colour.ORANGE, Size.SMALL, 2, true,
            List.of(Cell.TOP_CENTER, Cell.CENTER)),
        new Mention(Shape.TRIANGLE, Colour.BLUE, Size.LARGE, 1, false,
            List.of(Cell.BOTTOM_CENTER)));
  }

  @Test
  void keywordSoupStatesShapesWithoutBindingColours() {
    TextScene parsed = CaptionParser.parse("red, abstract, circle, design, vector");
    assertThat(parsed.mentions()).containsExactly(
        new Mention(Shape.CIRCLE, null, null, null, false, List.of()));
    assertThat(parsed.specifiesColour()).isFalse();
  }

  @Test
  void creditsAndFileNamesStateNothing() {
    assertThat(CaptionParser.parse("Photo by J. Smith / Shutterstock").mentions()).isEmpty();
    assertThat(CaptionParser.parse("IMG_2041.jpg").mentions()).isEmpty();
  }

  @Test
  void barePluralsLeaveTheCountOpen() {
    Mention m = CaptionParser.parse("yellow crosses").mentions().get(0);
    assertThat(m.count()).isNull();
    assertThat(m.plural()).isTrue();
    assertThat(m.impliedCount()).isNull();
  }

  @Test
  void tokenizerCountsWordsAndPunctuation() {
    assertThat(CaptionTokenizer.tokenize("A top-left circle.")).containsExactly("a", "top", "-",
        "left", "circle", ".");
  }
}
