package io.recap.shapes.corpus;

import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.text.AltTextConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to generate. Scenes {@code 0..humanCount-1} form the human split, the next
 * {@code evalCount} the eval split, the rest train; scenes are i.i.d., so this takes no bias.
 */
public record CorpusConfig(Path outDir, int count, long seed, int imageSize, int humanCount,
    int evalCount, AltTextConfig altText) {
  public static final int DEFAULT_HUMAN = 100;
  public static final int DEFAULT_EVAL = 500;

  public CorpusConfig {
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(altText, "altText");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (imageSize < SceneRenderer.MIN_SIZE) {
      throw new IllegalArgumentException("image size must be at least " + SceneRenderer.MIN_SIZE);
    }
    if (humanCount < 0 || evalCount < 0 || (long) humanCount + evalCount > count) {
      throw new IllegalArgumentException("human + eval (" + humanCount + " + " + evalCount
          + ") must be non-negative and at most count (" + count + ")");
    }
  }

  /** Default image size (64), 100 human, 500 eval (fewer when the corpus is small). */
  public static CorpusConfig of(Path outDir, int count, long seed) {
    int human = Math.min(DEFAULT_HUMAN, count);
    int eval = Math.min(DEFAULT_EVAL, count - human);
    return new CorpusConfig(outDir, count, seed, SceneRenderer.DEFAULT_SIZE, human, eval,
        AltTextConfig.defaults());
  }

  public Split splitOf(long index) {
    if (index < humanCount) {
      return Split.HUMAN;
    }
    return index < (long) humanCount + evalCount ? Split.EVAL : Split.TRAIN;
  }
}
