package io.recap.shapes.scene;

import java.util.Objects;

/** One object of a scene; a cell holds at most one object. */
public record SceneObject(Shape shape, Colour colour, Size size, Cell cell) {
  public SceneObject {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(colour, "colour");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(cell, "cell");
  }

  /** Same shape, colour and size: the objects a count such as "two red circles" groups. */
  public boolean looksLike(SceneObject other) {
    return shape == other.shape && colour == other.colour && size == other.size;
  }
}
