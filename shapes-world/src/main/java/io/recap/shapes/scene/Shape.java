package io.recap.shapes.scene;

/**
 * Object shapes. Chosen so that even small, blurred renderings differ in silhouette:
 * the fill ratio of the bounding box (square 1.0, circle 0.79, cross 0.56, triangle 0.5)
 * plus the triangle's top/bottom asymmetry and the cross's empty corners separate them.
 */
public enum Shape {
  CIRCLE("circle", "circles", Math.PI / 4, 0.0),
  SQUARE("square", "squares", 1.0, 0.0),
  TRIANGLE("triangle", "triangles", 0.5, 1.0 / 6.0),
  CROSS("cross", "crosses", 5.0 / 9.0, 0.0);

  private final String word;
  private final String plural;
  private final double fillRatio;
  private final double centroidOffset;

  Shape(String word, String plural, double fillRatio, double centroidOffset) {
    this.word = word;
    this.plural = plural;
    this.fillRatio = fillRatio;
    this.centroidOffset = centroidOffset;
  }

  public String word() {
    return word;
  }

  public String plural() {
    return plural;
  }

  public String word(int count) {
    return count == 1 ? word : plural;
  }

  /** Area of the shape divided by the area of its square bounding box. */
  public double fillRatio() {
    return fillRatio;
  }

  /** Downward offset of the area centroid from the box centre, in box widths. */
  public double centroidOffset() {
    return centroidOffset;
  }

  /**
   * Whether the point (dx, dy), in box units with the box centre at the origin and y pointing
   * down, lies inside the shape. One definition serves the renderer and the oracle's templates.
   */
  public boolean contains(double dx, double dy) {
    double ax = Math.abs(dx);
    double ay = Math.abs(dy);
    return switch (this) {
      case CIRCLE -> dx * dx + dy * dy <= 0.25;
      case SQUARE -> ax <= 0.5 && ay <= 0.5;
      // Apex at the top centre, base along the bottom edge.
      case TRIANGLE -> dy <= 0.5 && dy >= -0.5 && ax <= (dy + 0.5) / 2;
      case CROSS -> (ax <= 1.0 / 6 && ay <= 0.5) || (ay <= 1.0 / 6 && ax <= 0.5);
    };
  }
}
