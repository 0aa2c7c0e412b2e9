package io.recap.shapes.text;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.ObjectGroup;
import io.recap.shapes.scene.Scene;
import java.util.Comparator;
import java.util.List;

/**
 * Grounded pretraining captions, the analogue of the localisation tasks PaLI was pretrained on:
 * every object group in reading order with its count, size, colour, shape and cells, in one
 * fixed wording ("one small red circle at the top center, two large yellow squares at the middle
 * left and the bottom right"). No frame, no synonyms: the words a base must ground, not the
 * phrasing a human would use, which fine-tuning on the human captions teaches.
 */
public final class GroundedCaptionWriter {
  private GroundedCaptionWriter() {}

  public static String write(Scene scene) {
    List<ObjectGroup> groups = scene.groups().stream()
        .sorted(Comparator.comparing((ObjectGroup g) -> firstCell(g).ordinal()))
        .toList();
    String[] items = new String[groups.size()];
    for (int i = 0; i < items.length; i++) {
      ObjectGroup g = groups.get(i);
      items[i] = Phrases.number(g.count()) + " " + g.size().word() + " " + g.colour().word() + " "
          + g.shape().word(g.count()) + " " + cells(g);
    }
    return String.join(", ", Phrases.allButLast(items))
        + (items.length > 1 ? " and " : "") + items[items.length - 1];
  }

  private static Cell firstCell(ObjectGroup group) {
    return group.cells().stream().min(Comparator.naturalOrder()).orElseThrow();
  }

  /** "at the top left", "at the top left and the center", "at the top left, the center and the ...". */
  private static String cells(ObjectGroup group) {
    List<String> names = group.cells().stream().sorted().map(Cell::words).toList();
    if (names.size() == 1) {
      return "at the " + names.get(0);
    }
    return "at the " + String.join(", the ", names.subList(0, names.size() - 1))
        + " and the " + names.get(names.size() - 1);
  }
}
