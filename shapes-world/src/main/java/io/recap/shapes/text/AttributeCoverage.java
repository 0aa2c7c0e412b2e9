package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.ArrayList;
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
    List<Mention> mentions = new ArrayList<>(CaptionParser.parse(text).mentions());
    List<ObjectGroup> groups = new ArrayList<>(truth.groups());
    int total = truth.objects().size() * 4 + groups.size();
    int correct = 0;
    while (!groups.isEmpty() && !mentions.isEmpty()) {
      int bestScore = -1;
      int bestGroup = -1;
      int bestMention = -1;
      for (int g = 0; g < groups.size(); g++) {
        for (int m = 0; m < mentions.size(); m++) {
          int score = score(groups.get(g), mentions.get(m));
          if (score > bestScore) {
            bestScore = score;
            bestGroup = g;
            bestMention = m;
          }
        }
      }
      correct += bestScore;
      groups.remove(bestGroup);
      mentions.remove(bestMention);
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
