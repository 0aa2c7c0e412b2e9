package io.recap.shapes.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import io.recap.shapes.text.CaptionAccuracy.Attribute;
import io.recap.shapes.text.CaptionAccuracy.Facts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caption scorer gives the known answer on hand-written captions and on the writers' own. */
class CaptionAccuracyTest {
  /** A large red circle in the center, two small blue squares at the top left and top right. */
  private static final Scene SCENE = new Scene(Background.WHITE, List.of(
      new SceneObject(Shape.CIRCLE, Colour.RED, Size.LARGE, Cell.CENTER),
      new SceneObject(Shape.SQUARE, Colour.BLUE, Size.SMALL, Cell.TOP_LEFT),
      new SceneObject(Shape.SQUARE, Colour.BLUE, Size.SMALL, Cell.TOP_RIGHT)));

  @Test
  void perfectLongCaptionIsRightAboutEverything() {
    CaptionAccuracy score = CaptionAccuracy.score("A large red circle in the center and two "
        + "small blue squares at the top left and the top right, on a white background.", SCENE);
    for (Attribute a : Attribute.values()) {
      Facts f = score.facts(a);
      assertThat(f.correct()).as(a.label()).isEqualTo(f.present()).isEqualTo(f.stated());
    }
    assertThat(score.facts(Attribute.POSITION).present()).isEqualTo(3);
    assertThat(score.facts(Attribute.SHAPE).present()).isEqualTo(2);
    assertThat(score.hallucinatedObjects()).isZero();
    assertThat(score.namesEveryObject()).isTrue();
    assertThat(score.exactObjects()).isTrue();
  }

  @Test
  void wrongColourIsAColourErrorAndAnInventedObjectIsAHallucination() {
    CaptionAccuracy score = CaptionAccuracy.score(
        "A red circle, two green squares and a yellow triangle.", SCENE);
    // red circle -> circle; green squares -> blue squares (shape agrees); yellow triangle -> none
    assertThat(score.mentions()).isEqualTo(3);
    assertThat(score.facts(Attribute.SHAPE)).isEqualTo(new Facts(2, 3, 2));
    assertThat(score.facts(Attribute.COLOUR)).isEqualTo(new Facts(2, 3, 1));
    assertThat(score.facts(Attribute.COUNT)).isEqualTo(new Facts(2, 3, 2));
    assertThat(score.facts(Attribute.SIZE)).isEqualTo(new Facts(2, 0, 0));
    assertThat(score.facts(Attribute.POSITION)).isEqualTo(new Facts(3, 0, 0));
    assertThat(score.hallucinatedObjects()).isEqualTo(1);
    assertThat(score.namesEveryObject()).isFalse();
  }

  @Test
  void wrongSizePositionAndCountAreCountedAgainstTheirAttribute() {
    CaptionAccuracy score = CaptionAccuracy.score("A small red circle at the bottom left and "
        + "three small blue squares at the top left, the top right and the center.", SCENE);
    assertThat(score.facts(Attribute.SIZE)).isEqualTo(new Facts(2, 2, 1));
    assertThat(score.facts(Attribute.POSITION)).isEqualTo(new Facts(3, 4, 2));
    assertThat(score.facts(Attribute.COUNT)).isEqualTo(new Facts(2, 2, 1));
    // The third square does not exist.
    assertThat(score.hallucinatedObjects()).isEqualTo(1);
    assertThat(score.namesEveryObject()).isFalse();
  }

  @Test
  void missingObjectLowersRecallButNotPrecision() {
    CaptionAccuracy score = CaptionAccuracy.score("A red circle.", SCENE);
    assertThat(score.facts(Attribute.SHAPE)).isEqualTo(new Facts(2, 1, 1));
    assertThat(score.hallucinatedObjects()).isZero();
    assertThat(score.namesEveryObject()).isFalse();
  }

  @Test
  void creditsStateNothingAndTerseCaptionsNameTheObjects() {
    CaptionAccuracy credit = CaptionAccuracy.score("Photo by J. Smith / Shutterstock", SCENE);
    assertThat(credit.mentions()).isZero();
    assertThat(credit.facts(Attribute.SHAPE)).isEqualTo(new Facts(2, 0, 0));
    CaptionAccuracy terse = CaptionAccuracy.score("red circle and two blue squares", SCENE);
    assertThat(terse.namesEveryObject()).isTrue();
    assertThat(terse.hallucinatedObjects()).isZero();
  }

  @Test
  void summaryAveragesOverCaptions() {
    CaptionAccuracySummary summary = CaptionAccuracySummary.score(
        List.of("A red circle, two green squares and a yellow triangle.", "A red circle."),
        List.of(SCENE, SCENE));
    assertThat(summary.captions()).isEqualTo(2);
    assertThat(summary.precision(Attribute.SHAPE)).isCloseTo(3 / 4.0, within(1e-9));
    assertThat(summary.recall(Attribute.SHAPE)).isCloseTo(3 / 4.0, within(1e-9));
    assertThat(summary.precision(Attribute.COLOUR)).isCloseTo(2 / 4.0, within(1e-9));
    assertThat(summary.precision(Attribute.SIZE)).isNaN();
    assertThat(summary.hallucinationsPerCaption()).isCloseTo(0.5, within(1e-9));
    assertThat(summary.namingEveryObjectRate()).isZero();
  }

  /** The writers' own captions score as designed on many generated scenes. */
  @Test
  void writersCaptionsScoreAsDesigned() {
    List<String> longs = new ArrayList<>();
    List<String> shorts = new ArrayList<>();
    List<String> terse = new ArrayList<>();
    List<String> references = new ArrayList<>();
    List<Scene> scenes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Scene scene = SceneGenerator.generate(44, i);
      long seed = SceneGenerator.sceneSeed(44, i);
      CaptionSet set = CaptionWriter.captions(scene, seed);
      scenes.add(scene);
      longs.add(set.longCaption());
      shorts.add(set.shortCaption());
      terse.add(set.pretrain());
      references.add(set.reference().get(0));
    }
    CaptionAccuracySummary longSummary = CaptionAccuracySummary.score(longs, scenes);
    for (Attribute a : Attribute.values()) {
      assertThat(longSummary.precision(a)).as("LONG precision " + a.label()).isEqualTo(1.0);
      assertThat(longSummary.recall(a)).as("LONG recall " + a.label()).isEqualTo(1.0);
    }
    for (CaptionAccuracySummary summary : List.of(CaptionAccuracySummary.score(shorts, scenes),
        CaptionAccuracySummary.score(terse, scenes))) {
      assertThat(summary.namingEveryObjectRate()).isEqualTo(1.0);
      assertThat(summary.hallucinationsPerCaption()).isZero();
      assertThat(summary.precision(Attribute.COLOUR)).isEqualTo(1.0);
      assertThat(summary.precision(Attribute.COUNT)).isEqualTo(1.0);
      assertThat(summary.facts().get(Attribute.SIZE).stated()).isZero();
      assertThat(summary.facts().get(Attribute.POSITION).stated()).isZero();
    }
    assertThat(CaptionAccuracySummary.score(references, scenes).precision()).isEqualTo(1.0);
  }
}
