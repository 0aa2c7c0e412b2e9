package io.recap.shapes.scene;

/**
 * Object colours: saturated and at least ~90 apart in RGB from each other and far from every
 * {@link Background}, so the oracle can name them from a few blurred, noisy pixels.
 */
public enum Colour {
  RED("red", 0xDC1E1E),
  GREEN("green", 0x1EAA32),
  BLUE("blue", 0x2846E6),
  YELLOW("yellow", 0xF5DC1E),
  PURPLE("purple", 0x9632C8),
  ORANGE("orange", 0xF58214);

  private final String word;
  private final int rgb;

  Colour(String word, int rgb) {
    this.word = word;
    this.rgb = rgb;
  }

  public String word() {
    return word;
  }

  /** 0xRRGGBB. */
  public int rgb() {
    return rgb;
  }
}
