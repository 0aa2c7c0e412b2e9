package io.recap.shapes.text;

import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.Seeds;
import java.util.SplittableRandom;

/**
 * One entry point for all texts of a scene. Each kind draws its wording from its own seed
 * derived from the scene seed, so adding a kind never changes the others' wording.
 */
public final class CaptionWriter {
  private CaptionWriter() {}

  /** One text of the given kind (for REFERENCE, the first reference caption). */
  public static String write(CaptionKind kind, Scene scene, long sceneSeed) {
    long seed = seedFor(kind, sceneSeed);
    return switch (kind) {
      case ALT -> AltTextWriter.write(scene, seed, AltTextConfig.defaults());
      case SHORT -> ShortCaptionWriter.write(scene, seed);
      case LONG -> LongCaptionWriter.write(scene, seed);
      case REFERENCE -> ReferenceCaptionWriter.write(scene, seed, 1).get(0);
      case PRETRAIN -> PretrainCaptionWriter.write(scene, seed);
    };
  }

  public static CaptionSet captions(Scene scene, long sceneSeed) {
    return captions(scene, sceneSeed, AltTextConfig.defaults());
  }

  public static CaptionSet captions(Scene scene, long sceneSeed, AltTextConfig altText) {
    return new CaptionSet(
        AltTextWriter.write(scene, seedFor(CaptionKind.ALT, sceneSeed), altText),
        ShortCaptionWriter.write(scene, seedFor(CaptionKind.SHORT, sceneSeed)),
        LongCaptionWriter.write(scene, seedFor(CaptionKind.LONG, sceneSeed)),
        ReferenceCaptionWriter.write(scene, seedFor(CaptionKind.REFERENCE, sceneSeed),
            ReferenceCaptionWriter.DEFAULT_COUNT),
        PretrainCaptionWriter.write(scene, seedFor(CaptionKind.PRETRAIN, sceneSeed)));
  }

  /**
   * One object's position worded as captions word it, drawn with {@code seed} ("in the upper-left
   * corner", "at the top", "in the middle"): lets probes vary the wording of a position alone.
   */
  public static String positionPhrase(Cell cell, long seed) {
    return Phrases.single(cell, new SplittableRandom(seed));
  }

  static long seedFor(CaptionKind kind, long sceneSeed) {
    return Seeds.mix(sceneSeed, 1000 + kind.ordinal());
  }
}
