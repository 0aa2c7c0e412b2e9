package io.recap.shapes.text;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How right one caption is about its scene, per attribute, in both directions: recall (what the
 * scene has that the caption states correctly) and precision (what the caption states that is
 * correct), plus the objects it invents.
 *
 * <p>Facts: a group of identical objects has one shape, colour, size and count fact and one
 * position fact per object; a mention states a shape, a colour, size and count when it gives
 * them, and one position per cell it names. A bare singular ("red circle") states a count of
 * one; a bare plural ("circles") states none. The text is parsed with {@link CaptionParser};
 * mentions are paired with groups by {@link MentionAlignment}, and only when they share the
 * shape or the colour: "a blue circle" for a red circle is a wrong colour, "a yellow triangle"
 * in a scene without yellow or triangles is a hallucinated object. Hallucinated objects are
 * those of unpaired mentions plus any a paired mention over-counts ("three circles" for two).
 *
 * @param facts per attribute: present in the scene, stated by the caption, correct
 * @param mentions object mentions the caption makes
 * @param hallucinatedObjects objects the caption mentions that are not in the scene
 * @param namesEveryObject every group is named with its right shape, colour and count
 * @param tokens caption length in {@link CaptionTokenizer} tokens
 */
public record CaptionAccuracy(Map<Attribute, Facts> facts, int mentions, int hallucinatedObjects,
    boolean namesEveryObject, int tokens) {

  /** The attributes scored. */
  public enum Attribute {
    SHAPE, COLOUR, SIZE, POSITION, COUNT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Fact counts of one attribute.
   *
   * @param present facts the scene has
   * @param stated facts the caption states
   * @param correct stated facts that are right (each also a present fact recalled)
   */
  public record Facts(int present, int stated, int correct) {
    public static final Facts NONE = new Facts(0, 0, 0);

    public Facts plus(Facts other) {
      return new Facts(present + other.present, stated + other.stated, correct + other.correct);
    }
  }

  public CaptionAccuracy {
    EnumMap<Attribute, Facts> copy = new EnumMap<>(Attribute.class);
    for (Attribute a : Attribute.values()) {
      copy.put(a, facts.getOrDefault(a, Facts.NONE));
    }
    facts = Collections.unmodifiableMap(copy);
  }

  public Facts facts(Attribute attribute) {
    return facts.get(attribute);
  }

  /** Names every object and mentions none that is not there. */
  public boolean exactObjects() {
    return namesEveryObject && hallucinatedObjects == 0;
  }

  public static CaptionAccuracy score(String text, Scene truth) {
    List<Mention> mentions = CaptionParser.parse(text).mentions();
    List<ObjectGroup> groups = truth.groups();
    int[] present = new int[Attribute.values().length];
    int[] stated = new int[present.length];
    int[] correct = new int[present.length];
    for (ObjectGroup g : groups) {
      present[Attribute.SHAPE.ordinal()]++;
      present[Attribute.COLOUR.ordinal()]++;
      present[Attribute.SIZE.ordinal()]++;
      present[Attribute.COUNT.ordinal()]++;
      present[Attribute.POSITION.ordinal()] += g.count();
    }
    int hallucinated = 0;
    for (Mention m : mentions) {
      stated[Attribute.SHAPE.ordinal()]++;
      stated[Attribute.COLOUR.ordinal()] += m.colour() == null ? 0 : 1;
      stated[Attribute.SIZE.ordinal()] += m.size() == null ? 0 : 1;
      stated[Attribute.COUNT.ordinal()] += statedCount(m) == null ? 0 : 1;
      stated[Attribute.POSITION.ordinal()] += m.cells().size();
    }
    List<MentionAlignment.Pair> pairs = MentionAlignment.align(groups, mentions,
        CaptionAccuracy::pairScore, 1);
    List<Mention> unpaired = new ArrayList<>(mentions);
    int named = 0;
    for (MentionAlignment.Pair pair : pairs) {
      ObjectGroup g = pair.group();
      Mention m = pair.mention();
      unpaired.remove(m);
      boolean shape = m.shape() == g.shape();
      boolean colour = m.colour() == g.colour();
      Integer count = statedCount(m);
      boolean countRight = count != null && count == g.count();
      correct[Attribute.SHAPE.ordinal()] += shape ? 1 : 0;
      correct[Attribute.COLOUR.ordinal()] += colour ? 1 : 0;
      correct[Attribute.SIZE.ordinal()] += m.size() == g.size() ? 1 : 0;
      correct[Attribute.COUNT.ordinal()] += countRight ? 1 : 0;
      correct[Attribute.POSITION.ordinal()] += rightCells(m, g);
      named += shape && colour && countRight ? 1 : 0;
      hallucinated += Math.max(0, objectsClaimed(m) - g.count());
    }
    for (Mention m : unpaired) {
      hallucinated += objectsClaimed(m);
    }
    Map<Attribute, Facts> facts = new EnumMap<>(Attribute.class);
    for (Attribute a : Attribute.values()) {
      int i = a.ordinal();
      facts.put(a, new Facts(present[i], stated[i], correct[i]));
    }
    return new CaptionAccuracy(facts, mentions.size(), hallucinated,
        !groups.isEmpty() && named == groups.size(), CaptionTokenizer.count(text));
  }

  /** The count a mention states: its number, else its positions, else one for a singular. */
  static Integer statedCount(Mention m) {
    Integer implied = m.impliedCount();
    if (implied != null) {
      return implied;
    }
    return m.plural() ? null : 1;
  }

  /** Objects a mention claims exist: its stated count, at least two for a bare plural. */
  private static int objectsClaimed(Mention m) {
    Integer count = statedCount(m);
    return count != null ? count : 2;
  }

  private static int rightCells(Mention m, ObjectGroup g) {
    int right = 0;
    for (Cell cell : m.cells().stream().distinct().toList()) {
      right += g.cells().contains(cell) ? 1 : 0;
    }
    return right;
  }

  /**
   * How well a mention fits a group; 0 (never paired) unless shape or colour agree. Shape and
   * colour dominate, so "a blue circle" pairs with the red circle rather than a blue square only
   * when nothing better fits.
   */
  static int pairScore(ObjectGroup g, Mention m) {
    boolean shape = m.shape() == g.shape();
    boolean colour = m.colour() != null && m.colour() == g.colour();
    if (!shape && !colour) {
      return 0;
    }
    int score = (shape ? 8 : 0) + (colour ? 6 : 0);
    score += m.size() == g.size() ? 2 : 0;
    Integer count = statedCount(m);
    score += count != null && count == g.count() ? 2 : 0;
    score += rightCells(m, g);
    return score;
  }
}
