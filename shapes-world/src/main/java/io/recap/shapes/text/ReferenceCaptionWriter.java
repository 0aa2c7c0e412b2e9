package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Reference captions, the MS-COCO analogue: several accurate captions per scene at medium
 * detail. Each names every object (colour, shape, count) and adds its size or position only
 * sometimes, the way different annotators notice different things.
 */
public final class ReferenceCaptionWriter {
  public static final int DEFAULT_COUNT = 5;
  private static final double SIZE_RATE = 0.35;
  private static final double POSITION_RATE = 0.3;

  static final List<String> FRAMES = List.of(
      "{L}.",
      "{L} on a {bg} background.",
      "A picture of {L}.",
      "There {be} {L} in this image.",
      "An image with {L}.",
      "Some simple shapes: {L}.",
      "{L} shown on a {bg} background.",
      "A {bg} image containing {L}.",
      "{L} drawn on a {bg} surface.",
      "A drawing with {L}.");

  private ReferenceCaptionWriter() {}

  /** {@code count} distinct captions where the scene allows that many wordings. */
  public static List<String> write(Scene scene, long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<String> captions = new LinkedHashSet<>();
    for (int attempt = 0; captions.size() < count && attempt < count * 10; attempt++) {
      captions.add(one(scene, random));
    }
    List<String> out = new ArrayList<>(captions);
    while (out.size() < count) {
      out.add(out.get(out.size() % Math.max(1, captions.size())));
    }
    return List.copyOf(out);
  }

  private static String one(Scene scene, SplittableRandom random) {
    List<ObjectGroup> groups = scene.groups();
    String[] items = new String[groups.size()];
    for (int i = 0; i < items.length; i++) {
      ObjectGroup g = groups.get(i);
      String adjectives = (Phrases.chance(random, SIZE_RATE)
          ? Phrases.sizeWord(g.size(), random) + " " : "") + g.colour().word();
      String item = Phrases.determiner(g.count(), adjectives, random) + " " + adjectives + " "
          + Phrases.shapeNoun(g.shape(), g.count(), random, false);
      if (Phrases.chance(random, POSITION_RATE)) {
        item = Phrases.attach(item, Phrases.position(g.cells(), random));
      }
      items[i] = item;
    }
    String frame = FRAMES.get(random.nextInt(FRAMES.size()));
    return ShortCaptionWriter.fill(frame, Phrases.list(items, random), groups.get(0).count(),
        scene.background().words());
  }
}
