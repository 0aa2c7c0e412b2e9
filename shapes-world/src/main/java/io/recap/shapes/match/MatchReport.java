package io.recap.shapes.match;

import io.recap.shapes.scene.Scene;
import io.recap.shapes.text.TextScene;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The verdict for one image against one prompt.
 *
 * @param prompt what was asked for
 * @param observed what the oracle read from the image
 * @param results pass/fail of each evaluated category (categories the prompt leaves open are absent)
 * @param unparseableCells cells holding something the oracle would not name
 * @param overall every evaluated category passed
 */
public record MatchReport(TextScene prompt, Scene observed, Map<MatchCategory, Boolean> results,
    int unparseableCells, boolean overall) {
  public MatchReport {
    results = results.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(results));
  }

  public boolean evaluated(MatchCategory category) {
    return results.containsKey(category);
  }

  public Optional<Boolean> passed(MatchCategory category) {
    return Optional.ofNullable(results.get(category));
  }
}
