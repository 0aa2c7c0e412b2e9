package io.recap.shapes.match;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Success rates per category over many images: the GenEval-style score of a text-to-image
 * model on ShapesWorld prompts.
 *
 * @param images reports aggregated
 * @param categories rate per category, for categories evaluated at least once
 * @param overall rate of images where every evaluated category passed
 */
public record MatchSummary(int images, Map<MatchCategory, CategoryRate> categories,
    CategoryRate overall) {
  public MatchSummary {
    categories = categories.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new EnumMap<>(categories));
  }

  public static MatchSummary of(Collection<MatchReport> reports) {
    Map<MatchCategory, int[]> counts = new EnumMap<>(MatchCategory.class);
    int overall = 0;
    for (MatchReport report : reports) {
      report.results().forEach((category, pass) -> {
        int[] c = counts.computeIfAbsent(category, k -> new int[2]);
        c[0]++;
        if (pass) {
          c[1]++;
        }
      });
      if (report.overall()) {
        overall++;
      }
    }
    Map<MatchCategory, CategoryRate> rates = new EnumMap<>(MatchCategory.class);
    counts.forEach((category, c) -> rates.put(category, new CategoryRate(c[0], c[1])));
    return new MatchSummary(reports.size(), rates, new CategoryRate(reports.size(), overall));
  }

  /** Rate of one category; NaN when it was never evaluated. */
  public double rate(MatchCategory category) {
    CategoryRate rate = categories.get(category);
    return rate == null ? Double.NaN : rate.rate();
  }

  /** One line per category, e.g. "COUNT  0.912 (456/500)". */
  public String format() {
    StringBuilder out = new StringBuilder();
    categories.forEach((category, rate) -> out.append(line(category.name(), rate)));
    out.append(line("OVERALL", overall));
    return out.toString();
  }

  private static String line(String name, CategoryRate rate) {
    return String.format(Locale.ROOT, "%-15s %.3f (%d/%d)%n", name, rate.rate(), rate.passed(),
        rate.evaluated());
  }
}
