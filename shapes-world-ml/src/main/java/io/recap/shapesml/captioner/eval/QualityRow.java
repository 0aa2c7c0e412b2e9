package io.recap.shapesml.captioner.eval;

import io.recap.shapes.text.CaptionAccuracy.Attribute;
import io.recap.shapes.text.CaptionAccuracySummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of the quality table: whose captions, in which style and decoding, how they scored.
 *
 * @param source who wrote the captions, e.g. {@code alt-text} or {@code captioner/shapes/v1}
 * @param style the style prefix the captioner was given ({@code -} for alt-text)
 * @param decoding e.g. {@code greedy}, {@code beam 3}, {@code -}
 * @param summary the scores
 * @param captions the captions, in evaluation-scene order
 * @param seconds wall time to write them (0 for alt-text)
 */
public record QualityRow(String source, String style, String decoding, CaptionAccuracySummary summary,
        List<String> captions, double seconds) {

    public QualityRow {
        captions = List.copyOf(captions);
    }

    /**
     * The row as manifest metrics, names prefixed {@code eval.<style>.}: precision and recall
     * per attribute, hallucinations per caption, share naming every object, mean tokens.
     */
    public Map<String, Double> metrics() {
        String prefix = "eval." + style.toLowerCase(Locale.ROOT) + ".";
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Attribute attribute : Attribute.values()) {
            putFinite(metrics, prefix + "precision." + attribute.label(), summary.precision(attribute));
            putFinite(metrics, prefix + "recall." + attribute.label(), summary.recall(attribute));
        }
        putFinite(metrics, prefix + "precision", summary.precision());
        putFinite(metrics, prefix + "recall", summary.recall());
        putFinite(metrics, prefix + "hallucinated_objects_per_caption", summary.hallucinationsPerCaption());
        putFinite(metrics, prefix + "names_every_object", summary.namingEveryObjectRate());
        putFinite(metrics, prefix + "exact_objects", summary.exactObjectsRate());
        putFinite(metrics, prefix + "mean_tokens", summary.meanTokens());
        metrics.put(prefix + "captions", (double) summary.captions());
        return metrics;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }
}
