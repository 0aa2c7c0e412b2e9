package io.recap.shapes.oracle;

import io.recap.shapes.scene.Scene;
import java.util.List;

/**
 * Everything the oracle read from an image.
 *
 * @param scene the objects of the OBJECT cells on the nearest named background
 * @param cells one reading per grid cell, top left first
 * @param backgroundDistance RGB distance (0..sqrt 3) of the measured background from the named one
 */
public record OracleReading(Scene scene, List<CellReading> cells, double backgroundDistance) {
  public OracleReading {
    cells = List.copyOf(cells);
  }

  /** Cells holding something the oracle would not name. */
  public List<CellReading> unparseableCells() {
    return cells.stream().filter(c -> c.status() == CellStatus.UNPARSEABLE).toList();
  }

  /** True when every cell is either cleanly empty or a confidently classified object. */
  public boolean parseable() {
    return unparseableCells().isEmpty();
  }

  /** The lowest of all colour and shape confidences of the objects (1 for an empty scene). */
  public double confidence() {
    return cells.stream()
        .filter(c -> c.status() != CellStatus.EMPTY)
        .mapToDouble(c -> Math.min(c.colourConfidence(), c.shapeConfidence()))
        .min().orElse(1.0);
  }
}
