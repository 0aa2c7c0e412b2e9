package io.recap.shapes.match;

import io.recap.shapes.oracle.Oracle;
import io.recap.shapes.oracle.OracleReading;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.text.CaptionParser;
import io.recap.shapes.text.Mention;
import io.recap.shapes.text.TextScene;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Scores images against prompts by category; see {@link MatchCategory} for each rule. */
public final class Matcher {
  private Matcher() {}

  /** Parses the prompt (a ShapesWorld caption) and the image, then compares them. */
  public static MatchReport match(String prompt, BufferedImage image) {
    return match(CaptionParser.parse(prompt), Oracle.analyze(image));
  }

  /** Compares an image with a fully specified prompt scene (all categories evaluated). */
  public static MatchReport match(Scene prompt, BufferedImage image) {
    return match(TextScene.describing(prompt), Oracle.analyze(image));
  }

  public static MatchReport match(TextScene prompt, OracleReading reading) {
    MatchReport report = match(prompt, reading.scene());
    return new MatchReport(report.prompt(), report.observed(), report.results(),
        reading.unparseableCells().size(), report.overall());
  }

  public static MatchReport match(TextScene prompt, Scene observed) {
    List<Mention> mentions = prompt.mentions();
    Map<MatchCategory, Boolean> results = new EnumMap<>(MatchCategory.class);
    List<SceneObject> objects = observed.objects();
    if (!mentions.isEmpty()) {
      results.put(MatchCategory.OBJECT, mentions.stream()
          .allMatch(m -> objects.stream().anyMatch(o -> sameClass(m, o))));
    }
    if (mentions.stream().anyMatch(m -> m.impliedCount() != null || m.plural())) {
      results.put(MatchCategory.COUNT, mentions.stream().allMatch(m -> countHolds(m, objects)));
    }
    if (prompt.specifiesColour()) {
      results.put(MatchCategory.COLOUR, mentions.stream().filter(m -> m.colour() != null)
          .allMatch(m -> objects.stream().anyMatch(o -> o.colour() == m.colour())));
    }
    if (mentions.stream().filter(m -> m.colour() != null).count() >= 2) {
      results.put(MatchCategory.COLOUR_BINDING, bindingHolds(mentions, objects));
    }
    if (prompt.specifiesSize()) {
      results.put(MatchCategory.SIZE, mentions.stream().filter(m -> m.size() != null)
          .allMatch(m -> sizeHolds(m, objects)));
    }
    if (prompt.specifiesPosition()) {
      results.put(MatchCategory.POSITION, mentions.stream().allMatch(m -> m.cells().stream()
          .allMatch(cell -> objects.stream()
              .anyMatch(o -> o.cell() == cell && sameClass(m, o)))));
    }
    boolean overall = !results.isEmpty() && results.values().stream().allMatch(b -> b);
    return new MatchReport(prompt, observed, results, 0, overall);
  }

  private static boolean sameClass(Mention m, SceneObject o) {
    return o.shape() == m.shape() && (m.colour() == null || o.colour() == m.colour());
  }

  private static boolean countHolds(Mention m, List<SceneObject> objects) {
    long n = objects.stream().filter(o -> sameClass(m, o)).count();
    Integer expected = m.impliedCount();
    if (expected != null) {
      return n == expected;
    }
    return !m.plural() || n >= 2;
  }

  private static boolean bindingHolds(List<Mention> mentions, List<SceneObject> objects) {
    boolean present = mentions.stream().allMatch(m -> objects.stream().anyMatch(o -> sameClass(m, o)));
    Map<Shape, Set<Colour>> allowed = mentions.stream().filter(m -> m.colour() != null)
        .collect(Collectors.groupingBy(Mention::shape,
            Collectors.mapping(Mention::colour, Collectors.toSet())));
    boolean noLeak = objects.stream().allMatch(o -> !allowed.containsKey(o.shape())
        || allowed.get(o.shape()).contains(o.colour()));
    return present && noLeak;
  }

  /** Enough objects of the class have the size: at least one, or as many as the count says. */
  private static boolean sizeHolds(Mention m, List<SceneObject> objects) {
    long sized = objects.stream().filter(o -> sameClass(m, o) && o.size() == m.size()).count();
    Integer expected = m.impliedCount();
    return sized >= Math.max(1, expected == null ? 1 : expected);
  }
}
