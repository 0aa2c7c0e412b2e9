package io.recap.shapes.text;

/**
 * How alt-text fails. The first four rates choose what an alt-text is (they need not sum to one;
 * whatever is left is a description of some objects); the rest shape a description.
 *
 * @param fileNameRate alt-text is a file name ("IMG_2041.jpg")
 * @param keywordRate alt-text is stock keyword soup ("abstract, geometric, background, ...")
 * @param creditRate alt-text is a photographer / agency credit only
 * @param creditSuffixRate a description is followed by a credit
 * @param objectMentionRate each object group is mentioned by a description (at least one is)
 * @param colourRate a mentioned object's colour is stated
 * @param wrongColourRate a stated colour is wrong
 * @param wrongShapeRate a stated shape is wrong
 * @param countRate a mentioned group's count is stated ("two red circles", "a circle")
 * @param sizeRate a mentioned group's size is stated
 * @param positionRate a mentioned group's position is stated
 * @param keywordShapeRate keyword soup contains a (random) shape word
 */
public record AltTextConfig(
    double fileNameRate,
    double keywordRate,
    double creditRate,
    double creditSuffixRate,
    double objectMentionRate,
    double colourRate,
    double wrongColourRate,
    double wrongShapeRate,
    double countRate,
    double sizeRate,
    double positionRate,
    double keywordShapeRate) {

  public AltTextConfig {
    double[] rates = {fileNameRate, keywordRate, creditRate, creditSuffixRate, objectMentionRate,
        colourRate, wrongColourRate, wrongShapeRate, countRate, sizeRate, positionRate,
        keywordShapeRate};
    for (double rate : rates) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("rates must lie in [0,1]: " + rate);
      }
    }
    if (fileNameRate + keywordRate + creditRate > 1) {
      throw new IllegalArgumentException("file name + keyword + credit rates exceed 1");
    }
  }

  /** Defaults: on average about a fifth of a scene's attributes are stated correctly. */
  public static AltTextConfig defaults() {
    return new AltTextConfig(0.12, 0.15, 0.13, 0.3, 0.6, 0.75, 0.15, 0.1, 0.35, 0.2, 0.12,
        0.3);
  }
}
