package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.List;
import java.util.SplittableRandom;

/**
 * "Human" LONG captions: 1-2 detailed sentences stating every attribute of every object
 * (shape, colour, size, cell; counts) and the background, in at most
 * {@link CaptionTokenizer#MAX_TOKENS} tokens. Frames, object phrase forms, position phrases and
 * conjunctions all vary; a position always follows the object it belongs to.
 */
public final class LongCaptionWriter {
  /** {L} object list, {be} verb agreeing with its first item, {bg} background, {N} total. */
  static final List<String> FRAMES = List.of(
      "{L} on a {bg} background.",
      "There {be} {L}, all on a {bg} background.",
      "A picture of {L} against a {bg} background.",
      "This image shows {L}. The background is {bg}.",
      "On a plain {bg} background there {be} {L}.",
      "The scene contains {L}; the background is {bg}.",
      "We see {L} on {bg}.",
      "{N} on a {bg} background: {L}.",
      "A {bg} background with {L}.",
      "Drawn on a {bg} background {be} {L}.",
      "An illustration of {L}, set against a {bg} backdrop.",
      "The image has a {bg} background. It shows {L}.",
      "You can see {L} on a {bg} background.",
      "{L}. Everything sits on a {bg} background.");

  private LongCaptionWriter() {}

  public static String write(Scene scene, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int attempt = 0; attempt < 8; attempt++) {
      String text = attempt(scene, random, FRAMES.get(random.nextInt(FRAMES.size())), true);
      if (CaptionTokenizer.count(text) <= CaptionTokenizer.MAX_TOKENS) {
        return text;
      }
    }
    // The plainest wording: far below the limit even for the largest scenes.
    return attempt(scene, random, FRAMES.get(0), false);
  }

  private static String attempt(Scene scene, SplittableRandom random, String frame,
      boolean varied) {
    List<ObjectGroup> groups = scene.groups();
    String[] items = new String[groups.size()];
    for (int i = 0; i < items.length; i++) {
      items[i] = varied ? groupPhrase(groups.get(i), random) : plainPhrase(groups.get(i), random);
    }
    int total = scene.objects().size();
    String shapes = Phrases.capitalize(Phrases.number(total)) + (total == 1 ? " shape" : " shapes");
    return ShortCaptionWriter.fill(frame.replace("{N}", shapes), Phrases.list(items, random),
        groups.get(0).count(), scene.background().words());
  }

  private static String plainPhrase(ObjectGroup g, SplittableRandom random) {
    String size = g.size().word();
    return Phrases.attach(Phrases.determiner(g.count(), size, random) + " " + size + " "
        + g.colour().word() + " " + g.shape().word(g.count()),
        Phrases.position(g.cells(), random));
  }

  /** One group with all its attributes, in one of several phrase forms. */
  static String groupPhrase(ObjectGroup g, SplittableRandom random) {
    String size = Phrases.sizeWord(g.size(), random);
    String colour = g.colour().word();
    String noun = Phrases.shapeNoun(g.shape(), g.count(), random, true);
    String position = Phrases.position(g.cells(), random);
    int form = random.nextInt(5);
    if (form == 1 && position.startsWith("one ")) {
      form = 4; // "located one at ..." reads badly
    }
    return switch (form) {
      case 0 -> Phrases.attach(Phrases.determiner(g.count(), colour, random) + " " + colour
          + " " + noun + (g.count() == 1 ? " (" + size + ")"
          : " (" + pick2(g.count(), random) + size + ")"), position);
      case 1 -> Phrases.determiner(g.count(), size, random) + " " + size + " " + colour + " "
          + noun + ", " + Phrases.pick(random, "located", "placed", "positioned", "sitting",
          "drawn") + " " + position;
      case 2 -> Phrases.attach(Phrases.determiner(g.count(), g.size().word(), random) + " "
          + g.size().word() + "-sized " + colour + " " + noun, position);
      default -> Phrases.attach(Phrases.determiner(g.count(), size, random) + " " + size + " "
          + colour + " " + noun, position);
    };
  }

  private static String pick2(int count, SplittableRandom random) {
    return count == 2 ? Phrases.pick(random, "both ", "each ", "") : Phrases.pick(random, "all ",
        "each ", "");
  }
}
