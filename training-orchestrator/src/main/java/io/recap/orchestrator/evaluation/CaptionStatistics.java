package io.recap.orchestrator.evaluation;

import io.recap.ml.text.WordSplitter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Statistics of one caption set against human reference captions of the same images (the paper compares its
 * caption sets with MS-COCO's): mean length in words, distinct words, and the Jensen-Shannon divergence (base 2, in
 * [0, 1]) between the set's word distribution and the references' — how far the set's language is from the way
 * people describe these images. Punctuation is not a word here.
 */
public final class CaptionStatistics {

    private CaptionStatistics() {
    }

    /** {@code <prefix>.mean_words}, {@code <prefix>.vocabulary}, {@code <prefix>.js_to_reference}. */
    public static Map<String, Double> of(String prefix, List<String> captions, List<String> references) {
        Map<String, Long> counts = wordCounts(captions);
        long words = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(prefix + ".mean_words", captions.isEmpty() ? Double.NaN : (double) words / captions.size());
        metrics.put(prefix + ".vocabulary", (double) counts.size());
        metrics.put(prefix + ".js_to_reference", jensenShannon(counts, wordCounts(references)));
        return metrics;
    }

    static Map<String, Long> wordCounts(List<String> texts) {
        Map<String, Long> counts = new HashMap<>();
        for (String text : texts) {
            for (String word : WordSplitter.split(text == null ? "" : text)) {
                if (Character.isLetterOrDigit(word.charAt(0))) {
                    counts.merge(word, 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Jensen-Shannon divergence of two word-count distributions, base 2 (0: identical, 1: disjoint). */
    static double jensenShannon(Map<String, Long> p, Map<String, Long> q) {
        double pTotal = p.values().stream().mapToLong(Long::longValue).sum();
        double qTotal = q.values().stream().mapToLong(Long::longValue).sum();
        if (pTotal == 0 || qTotal == 0) {
            return Double.NaN;
        }
        Set<String> words = new HashSet<>(p.keySet());
        words.addAll(q.keySet());
        double divergence = 0;
        for (String word : words) {
            double a = p.getOrDefault(word, 0L) / pTotal;
            double b = q.getOrDefault(word, 0L) / qTotal;
            double m = (a + b) / 2;
            if (a > 0) {
                divergence += 0.5 * a * Math.log(a / m);
            }
            if (b > 0) {
                divergence += 0.5 * b * Math.log(b / m);
            }
        }
        return divergence / Math.log(2);
    }
}
