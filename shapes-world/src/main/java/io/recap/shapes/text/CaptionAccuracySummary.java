package io.recap.shapes.text;

import io.recap.shapes.scene.Scene;
import io.recap.shapes.text.CaptionAccuracy.Attribute;
import io.recap.shapes.text.CaptionAccuracy.Facts;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CaptionAccuracy} over many captions: facts summed per attribute (micro-averaged
 * precision and recall), hallucinated objects per caption, the share of captions naming every
 * object, and mean length in tokens.
 *
 * @param captions captions scored
 * @param facts facts per attribute, summed
 * @param hallucinatedObjects hallucinated objects, summed
 * @param namingEveryObject captions that name every object with shape, colour and count
 * @param exactObjects of those, captions that also mention nothing that is not there
 * @param tokens caption tokens, summed
 */
public record CaptionAccuracySummary(int captions, Map<Attribute, Facts> facts,
    int hallucinatedObjects, int namingEveryObject, int exactObjects, long tokens) {

  public CaptionAccuracySummary {
    facts = Collections.unmodifiableMap(new EnumMap<>(facts));
  }

  public static CaptionAccuracySummary of(List<CaptionAccuracy> scores) {
    Map<Attribute, Facts> facts = new EnumMap<>(Attribute.class);
    for (Attribute a : Attribute.values()) {
      facts.put(a, Facts.NONE);
    }
    int hallucinated = 0;
    int naming = 0;
    int exact = 0;
    long tokens = 0;
    for (CaptionAccuracy s : scores) {
      s.facts().forEach((a, f) -> facts.merge(a, f, Facts::plus));
      hallucinated += s.hallucinatedObjects();
      naming += s.namesEveryObject() ? 1 : 0;
      exact += s.exactObjects() ? 1 : 0;
      tokens += s.tokens();
    }
    return new CaptionAccuracySummary(scores.size(), facts, hallucinated, naming, exact, tokens);
  }

  /** Scores captions {@code texts[i]} against scenes {@code truths[i]}. */
  public static CaptionAccuracySummary score(List<String> texts, List<Scene> truths) {
    if (texts.size() != truths.size()) {
      throw new IllegalArgumentException(texts.size() + " captions for " + truths.size()
          + " scenes");
    }
    return of(java.util.stream.IntStream.range(0, texts.size())
        .mapToObj(i -> CaptionAccuracy.score(texts.get(i), truths.get(i))).toList());
  }

  /** Stated facts that are right; NaN when the captions never state the attribute. */
  public double precision(Attribute attribute) {
    Facts f = facts.get(attribute);
    return f.stated() == 0 ? Double.NaN : f.correct() / (double) f.stated();
  }

  /** Present facts stated correctly. */
  public double recall(Attribute attribute) {
    Facts f = facts.get(attribute);
    return f.present() == 0 ? Double.NaN : f.correct() / (double) f.present();
  }

  /** Precision over all attributes together. */
  public double precision() {
    Facts f = total();
    return f.stated() == 0 ? Double.NaN : f.correct() / (double) f.stated();
  }

  /** Recall over all attributes together. */
  public double recall() {
    Facts f = total();
    return f.present() == 0 ? Double.NaN : f.correct() / (double) f.present();
  }

  private Facts total() {
    return facts.values().stream().reduce(Facts.NONE, Facts::plus);
  }

  /** Mean hallucinated objects per caption. */
  public double hallucinationsPerCaption() {
    return captions == 0 ? Double.NaN : hallucinatedObjects / (double) captions;
  }

  public double namingEveryObjectRate() {
    return captions == 0 ? Double.NaN : namingEveryObject / (double) captions;
  }

  public double exactObjectsRate() {
    return captions == 0 ? Double.NaN : exactObjects / (double) captions;
  }

  public double meanTokens() {
    return captions == 0 ? Double.NaN : tokens / (double) captions;
  }
}
