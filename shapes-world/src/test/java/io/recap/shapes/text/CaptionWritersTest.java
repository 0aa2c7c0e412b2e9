package io.recap.shapes.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.ObjectClass;
import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Captions are faithful (checked by parsing them back), bounded, and varied. */
class CaptionWritersTest {
  private static final int SCENES = 3000;

  @Test
  void longCaptionsStateEveryAttributeWithinTheTokenBound() {
    int maxTokens = 0;
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(31, i);
      String text = CaptionWriter.write(CaptionKind.LONG, scene, SceneGenerator.sceneSeed(31, i));
      int tokens = CaptionTokenizer.count(text);
      maxTokens = Math.max(maxTokens, tokens);
      assertThat(tokens).as(text).isLessThanOrEqualTo(CaptionTokenizer.MAX_TOKENS);
      assertThat(sentences(text)).as(text).isBetween(1, 2);
      assertThat(CaptionParser.parse(text).toScene()).as(text).contains(scene);
    }
    System.out.println("longest LONG caption: " + maxTokens + " tokens");
  }

  @Test
  void groundedCaptionsStateEveryObjectExactlyInOneWordingPerScene() {
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(35, i);
      String text = GroundedCaptionWriter.write(scene);
      assertThat(text).isEqualTo(GroundedCaptionWriter.write(scene));
      assertThat(CaptionParser.parse(text).mentions()).as(text)
          .containsExactlyInAnyOrderElementsOf(TextScene.describing(scene).mentions());
      assertThat(CaptionTokenizer.count(text)).as(text).isLessThanOrEqualTo(CaptionTokenizer.MAX_TOKENS);
    }
  }

  @Test
  void shortCaptionsNameEveryObjectInOneSentence() {
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(32, i);
      String text = CaptionWriter.write(CaptionKind.SHORT, scene, SceneGenerator.sceneSeed(32, i));
      assertThat(sentences(text)).as(text).isEqualTo(1);
      TextScene parsed = CaptionParser.parse(text);
      assertThat(parsed.specifiesPosition()).as(text).isFalse();
      assertThat(parsed.specifiesSize()).as(text).isFalse();
      assertThat(classes(parsed)).as(text).containsExactlyElementsOf(scene.classes());
      assertThat(CaptionTokenizer.count(text)).as(text).isLessThanOrEqualTo(30);
    }
  }

  @Test
  void positionPhrasesVaryTheirWordingAndParseBackToTheirCell() {
    for (Cell cell : Cell.values()) {
      Set<String> wordings = new HashSet<>();
      for (long seed = 0; seed < 40; seed++) {
        String phrase = CaptionWriter.positionPhrase(cell, seed);
        wordings.add(phrase);
        assertThat(CaptionParser.parse("a red square " + phrase + ".").mentions())
            .as(phrase).singleElement()
            .satisfies(mention -> assertThat(mention.cells()).containsExactly(cell));
      }
      assertThat(wordings).as("wordings of %s", cell).hasSizeGreaterThan(2);
    }
  }

  @Test
  void pretrainCaptionsAreTerseAndRight() {
    for (int i = 0; i < SCENES; i++) {
      Scene scene = SceneGenerator.generate(33, i);
      String text = CaptionWriter.write(CaptionKind.PRETRAIN, scene,
          SceneGenerator.sceneSeed(33, i));
      TextScene parsed = CaptionParser.parse(text);
      assertThat(parsed.specifiesPosition() || parsed.specifiesSize()).as(text).isFalse();
      assertThat(parsed.mentions()).hasSameSizeAs(scene.classes());
      for (int k = 0; k < parsed.mentions().size(); k++) {
        Mention m = parsed.mentions().get(k);
        ObjectClass c = scene.classes().get(k);
        assertThat(List.of(m.shape(), m.colour())).as(text).containsExactly(c.shape(), c.colour());
        assertThat(m.count() == null ? 1 : m.count()).as(text).isEqualTo(c.count());
      }
    }
  }

  @Test
  void referenceCaptionsAreSeveralAccurateAndMediumDetail() {
    int withSize = 0;
    int withPosition = 0;
    int total = 0;
    for (int i = 0; i < 1000; i++) {
      Scene scene = SceneGenerator.generate(34, i);
      List<String> refs = CaptionWriter.captions(scene, SceneGenerator.sceneSeed(34, i))
          .reference();
      assertThat(refs).hasSize(5);
      for (String text : refs) {
        total++;
        TextScene parsed = CaptionParser.parse(text);
        assertThat(classes(parsed)).as(text).containsExactlyElementsOf(scene.classes());
        List<ObjectGroup> groups = scene.groups();
        for (int k = 0; k < groups.size(); k++) {
          Mention m = parsed.mentions().get(k);
          if (m.size() != null) {
            assertThat(m.size()).as(text).isEqualTo(groups.get(k).size());
          }
          if (!m.cells().isEmpty()) {
            assertThat(m.cells()).as(text).containsExactlyElementsOf(groups.get(k).cells());
          }
        }
        withSize += parsed.specifiesSize() ? 1 : 0;
        withPosition += parsed.specifiesPosition() ? 1 : 0;
      }
    }
    // Medium detail: details appear in some captions, not all.
    assertThat(withSize / (double) total).isBetween(0.2, 0.8);
    assertThat(withPosition / (double) total).isBetween(0.2, 0.8);
  }

  @Test
  void eachStyleHasAtLeastTenSentenceStructures() {
    for (CaptionKind kind : List.of(CaptionKind.SHORT, CaptionKind.LONG, CaptionKind.REFERENCE)) {
      Set<String> structures = new HashSet<>();
      SceneGenerator single = new SceneGenerator(1, 1);
      for (int i = 0; i < 1000; i++) {
        Scene scene = single.scene(35, i);
        structures.add(structure(CaptionWriter.write(kind, scene,
            SceneGenerator.sceneSeed(35, i))));
      }
      System.out.printf("%s: %d distinct sentence structures over 1000 one-object scenes%n",
          kind, structures.size());
      assertThat(structures.size()).as(kind.name()).isGreaterThanOrEqualTo(10);
    }
  }

  @Test
  void textsAreDeterministicPerSceneSeed() {
    Scene scene = SceneGenerator.generate(36, 9);
    long seed = SceneGenerator.sceneSeed(36, 9);
    assertThat(CaptionWriter.captions(scene, seed)).isEqualTo(CaptionWriter.captions(scene, seed));
    assertThat(CaptionWriter.write(CaptionKind.REFERENCE, scene, seed))
        .isEqualTo(CaptionWriter.captions(scene, seed).reference().get(0));
  }

  /**
   * A caption's structure: its words with every attribute word (shape, colour, size, count,
   * position, background) removed. One-object scenes keep object count from inflating it.
   */
  static String structure(String text) {
    Set<String> attributes = Set.of("circle", "circles", "disc", "discs", "square", "squares",
        "triangle", "triangles", "cross", "crosses", "plus", "sign", "signs", "red", "green",
        "blue", "yellow", "purple", "orange", "large", "big", "small", "little", "a", "an",
        "one", "single", "two", "three", "four", "pair", "top", "upper", "bottom", "lower",
        "left", "right", "center", "centre", "middle", "white", "black", "beige", "light",
        "dark", "grey");
    StringBuilder out = new StringBuilder();
    for (String token : CaptionTokenizer.tokenize(text)) {
      if (!attributes.contains(token)) {
        out.append(token).append(' ');
      }
    }
    return out.toString().trim();
  }

  /** Sentence count: terminal punctuation followed by a space or the end. */
  private static int sentences(String text) {
    return (int) java.util.regex.Pattern.compile("[.!?](?=\\s|$)").matcher(text.trim())
        .results().count();
  }

  private static List<ObjectClass> classes(TextScene parsed) {
    return parsed.mentions().stream()
        .map(m -> new ObjectClass(m.shape(), m.colour(), m.impliedCount() == null ? -1
            : m.impliedCount()))
        .toList();
  }
}
