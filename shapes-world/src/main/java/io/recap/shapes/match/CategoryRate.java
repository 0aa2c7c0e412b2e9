package io.recap.shapes.match;

/** How often a category passed among the images where it was evaluated. */
public record CategoryRate(int evaluated, int passed) {
  /** Success rate in [0,1]; NaN when never evaluated. */
  public double rate() {
    return evaluated == 0 ? Double.NaN : passed / (double) evaluated;
  }
}
