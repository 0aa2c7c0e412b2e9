package io.recap.shapes.scene;

/** The 3x3 grid positions, row by row from the top left. */
public enum Cell {
  TOP_LEFT(0, 0, "top left"),
  TOP_CENTER(0, 1, "top center"),
  TOP_RIGHT(0, 2, "top right"),
  MIDDLE_LEFT(1, 0, "middle left"),
  CENTER(1, 1, "center"),
  MIDDLE_RIGHT(1, 2, "middle right"),
  BOTTOM_LEFT(2, 0, "bottom left"),
  BOTTOM_CENTER(2, 1, "bottom center"),
  BOTTOM_RIGHT(2, 2, "bottom right");

  private final int row;
  private final int column;
  private final String words;

  Cell(int row, int column, String words) {
    this.row = row;
    this.column = column;
    this.words = words;
  }

  public int row() {
    return row;
  }

  public int column() {
    return column;
  }

  /** Canonical name in words, e.g. "top left", "center". */
  public String words() {
    return words;
  }

  public boolean isCorner() {
    return row != 1 && column != 1;
  }

  public static Cell at(int row, int column) {
    return values()[row * 3 + column];
  }
}
