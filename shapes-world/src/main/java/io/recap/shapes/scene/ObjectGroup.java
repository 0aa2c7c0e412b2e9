package io.recap.shapes.scene;

import java.util.List;

/** Identical objects (same shape, colour and size) of a scene, with the cells they occupy. */
public record ObjectGroup(Shape shape, Colour colour, Size size, List<Cell> cells) {
  public ObjectGroup {
    cells = List.copyOf(cells);
    if (cells.isEmpty()) {
      throw new IllegalArgumentException("a group has at least one object");
    }
  }

  public int count() {
    return cells.size();
  }
}
