package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.List;

/**
 * How much of a scene a text states correctly. Attributes: per object its shape, colour, size
 * and position, plus one count per group of identical objects. Text is parsed with
 * {@link CaptionParser}; each group is paired with at most one mention (greedily, best pair
 * first), and an attribute counts only if that mention states it and states it right.
 *
 * @param correct attributes stated correctly
 * @param total attributes the scene has
 */
public record AttributeCoverage(int correct, int total) {

  public double fraction() {
    return total == 0 ? 0 : correct / (double) total;
  }

  public static AttributeCoverage measure(String text, Scene truth) {
    List<ObjectGroup> groups = truth.groups();
    int total = truth.objects().size() * 4 + groups.size();
    int correct = 0;
    for (MentionAlignment.Pair pair : MentionAlignment.align(groups,
        CaptionParser.parse(text).mentions(), AttributeCoverage::score, 0)) {
      correct += score(pair.group(), pair.mention());
    }
    return new AttributeCoverage(correct, total);
  }

  /** Correct attributes if this mention is taken to describe this group. */
  static int score(ObjectGroup group, Mention mention) {
    int n = group.count();
    int score = 0;
    if (mention.shape() == group.shape()) {
      score += n;
    }
    if (mention.colour() == group.colour()) {
      score += n;
    }
    if (mention.size() == group.size()) {
      score += n;
    }
    for (var cell : group.cells()) {
      if (mention.cells().contains(cell)) {
        score++;
      }
    }
    if (mention.count() != null && mention.count() == n) {
      score++;
    }
    return score;
  }
}
