package io.recap.shapes.corpus;

import java.nio.file.Path;

/** What a generation run produced and how fast. */
public record CorpusSummary(Path dir, int scenes, int human, int eval, int train,
    double seconds) {
  public double scenesPerSecond() {
    return seconds <= 0 ? 0 : scenes / seconds;
  }
}
