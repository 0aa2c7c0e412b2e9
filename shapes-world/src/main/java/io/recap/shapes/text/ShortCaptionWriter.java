package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectClass;
import io.recap.shapes.scene.Scene;
import java.util.List;
import java.util.SplittableRandom;

/**
 * "Human" SHORT captions: one short sentence that names every object by colour and shape with
 * its count, and nothing about size or position. Sentence frames and list conjunctions vary so
 * a captioner cannot learn one template.
 */
public final class ShortCaptionWriter {
  /** Sentence frames; {L} is the object list, {be} agrees with its first item, {bg} background. */
  static final List<String> FRAMES = List.of(
      "{L}.",
      "There {be} {L}.",
      "A picture of {L}.",
      "{L} on a {bg} background.",
      "An image showing {L}.",
      "Just {L}.",
      "This shows {L}.",
      "I can see {L}.",
      "A simple drawing of {L}.",
      "Here {be} {L}.",
      "A {bg} background with {L}.",
      "{L} on {bg}.",
      "Shapes: {L}.",
      "A graphic of {L}.");

  private ShortCaptionWriter() {}

  public static String write(Scene scene, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ObjectClass> classes = scene.classes();
    String[] items = new String[classes.size()];
    boolean leadingNumber = Phrases.chance(random, 0.3);
    for (int i = 0; i < items.length; i++) {
      items[i] = nounPhrase(classes.get(i), random, leadingNumber);
    }
    String frame = FRAMES.get(random.nextInt(FRAMES.size()));
    return fill(frame, Phrases.looseList(items, random), classes.get(0).count(),
        scene.background().words());
  }

  /** "a red circle", "one red circle", "two blue squares", "a pair of green discs". */
  static String nounPhrase(ObjectClass c, SplittableRandom random, boolean leadingNumber) {
    String colour = c.colour().word();
    String determiner = leadingNumber && c.count() == 1 ? "one"
        : Phrases.determiner(c.count(), colour, random);
    return determiner + " " + colour + " " + Phrases.shapeNoun(c.shape(), c.count(), random, true);
  }

  static String fill(String frame, String list, int firstCount, String background) {
    String text = frame.replace("{be}", firstCount == 1 ? "is" : "are")
        .replace("{bg}", background);
    if (text.startsWith("{L}")) {
      return Phrases.capitalize(text.replace("{L}", list));
    }
    return text.replace("{L}", list);
  }
}
