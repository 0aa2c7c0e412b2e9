package io.recap.shapes.text;

import io.recap.shapes.scene.ObjectClass;
import io.recap.shapes.scene.Scene;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Terse pretraining captions, the PaLI analogue: the right objects with their counts, no size,
 * no position, no frame ("red circle and two blue squares").
 */
public final class PretrainCaptionWriter {
  private PretrainCaptionWriter() {}

  public static String write(Scene scene, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ObjectClass> classes = scene.classes();
    String[] items = new String[classes.size()];
    for (int i = 0; i < items.length; i++) {
      ObjectClass c = classes.get(i);
      String count = c.count() == 1 ? "" : Phrases.number(c.count()) + " ";
      items[i] = count + c.colour().word() + " " + c.shape().word(c.count());
    }
    if (items.length > 1 && Phrases.chance(random, 0.5)) {
      return String.join(", ", items);
    }
    return Phrases.list(items, random);
  }
}
