package io.recap.shapes.scene;

/** Object size: the side of the shape's bounding box as a fraction of the grid cell. */
public enum Size {
  SMALL("small", 0.6),
  LARGE("large", 0.85);

  /** Box side between the two sizes (geometric mean) separating them when measured. */
  public static final double THRESHOLD = Math.sqrt(SMALL.extent * LARGE.extent);

  private final String word;
  private final double extent;

  Size(String word, double extent) {
    this.word = word;
    this.extent = extent;
  }

  public String word() {
    return word;
  }

  public double extent() {
    return extent;
  }
}
