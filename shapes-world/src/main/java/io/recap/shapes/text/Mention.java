package io.recap.shapes.text;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Shape;
import io.recap.shapes.scene.Size;
import java.util.List;
import java.util.Objects;

/**
 * One object phrase found in text, e.g. "two large red circles at the top left and the center".
 * Only the shape is certain; the rest is null (or empty) when the text does not say.
 *
 * @param count the count the text states ("a", "one", "two", "a pair of"), or null
 * @param plural whether the shape noun was plural (a plural without a number means "several")
 * @param cells the stated positions, in text order
 */
public record Mention(Shape shape, Colour colour, Size size, Integer count, boolean plural,
    List<Cell> cells) {
  public Mention {
    Objects.requireNonNull(shape, "shape");
    cells = List.copyOf(cells);
  }

  /** The count the text states or implies through its positions; null when it says neither. */
  public Integer impliedCount() {
    if (count != null) {
      return count;
    }
    return cells.isEmpty() ? null : cells.size();
  }
}
