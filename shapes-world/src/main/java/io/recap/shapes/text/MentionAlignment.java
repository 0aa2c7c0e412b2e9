package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntBiFunction;

/**
 * Pairs the object mentions of a text with the groups of a scene, each with at most one: the
 * best-scoring pair first, then the best of the rest, and so on (ties go to the earlier group,
 * then the earlier mention). A pair is only formed when its score reaches {@code minScore}, so
 * a mention that resembles no group stays unpaired. Shared by {@link AttributeCoverage} and
 * {@link CaptionAccuracy}, which differ only in how they score a pair.
 */
final class MentionAlignment {
  /** One mention taken to describe one group. */
  record Pair(ObjectGroup group, Mention mention) {}

  private MentionAlignment() {}

  static List<Pair> align(List<ObjectGroup> groups, List<Mention> mentions,
      ToIntBiFunction<ObjectGroup, Mention> score, int minScore) {
    List<ObjectGroup> openGroups = new ArrayList<>(groups);
    List<Mention> openMentions = new ArrayList<>(mentions);
    List<Pair> pairs = new ArrayList<>();
    while (!openGroups.isEmpty() && !openMentions.isEmpty()) {
      int bestScore = Integer.MIN_VALUE;
      int bestGroup = -1;
      int bestMention = -1;
      for (int g = 0; g < openGroups.size(); g++) {
        for (int m = 0; m < openMentions.size(); m++) {
          int s = score.applyAsInt(openGroups.get(g), openMentions.get(m));
          if (s > bestScore) {
            bestScore = s;
            bestGroup = g;
            bestMention = m;
          }
        }
      }
      if (bestScore < minScore) {
        break;
      }
      pairs.add(new Pair(openGroups.remove(bestGroup), openMentions.remove(bestMention)));
    }
    return pairs;
  }
}
