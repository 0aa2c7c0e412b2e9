package io.recap.shapes.scene;

/** Plain backgrounds, light and dark, none close to an object {@link Colour}. */
public enum Background {
  WHITE("white", 0xF5F5F5),
  LIGHT_GREY("light grey", 0xBEBEBE),
  BEIGE("beige", 0xE6DCC3),
  DARK_GREY("dark grey", 0x373737),
  BLACK("black", 0x0F0F0F);

  private final String words;
  private final int rgb;

  Background(String words, int rgb) {
    this.words = words;
    this.rgb = rgb;
  }

  /** The name used in text, e.g. "light grey". */
  public String words() {
    return words;
  }

  public int rgb() {
    return rgb;
  }
}
