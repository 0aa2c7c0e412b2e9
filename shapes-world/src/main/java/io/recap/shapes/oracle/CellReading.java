package io.recap.shapes.oracle;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.SceneObject;

/**
 * The oracle's reading of one cell.
 *
 * @param object the best guess, present for OBJECT and (as a hint) for UNPARSEABLE cells
 * @param mass foreground area in pixels (sum of per-pixel foreground fractions)
 * @param colourConfidence 1 - (best colour residual / second best), in [0,1]
 * @param shapeConfidence 1 - (best template error / second best), in [0,1]
 * @param fitError template error beyond noise, relative to the template's area (0 = perfect)
 * @param relativeSide estimated bounding-box side in cell widths
 * @param reason why the cell is unparseable, or empty
 */
public record CellReading(
    Cell cell,
    CellStatus status,
    SceneObject object,
    double mass,
    double colourConfidence,
    double shapeConfidence,
    double fitError,
    double relativeSide,
    String reason) {

  static CellReading empty(Cell cell, double mass) {
    return new CellReading(cell, CellStatus.EMPTY, null, mass, 1, 1, 0, 0, "");
  }
}
