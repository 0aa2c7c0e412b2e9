package io.recap.orchestrator.evaluation;

import io.recap.core.domain.ModelRef;
import io.recap.core.store.LocalBlobStore;
import io.recap.ml.evaluation.Bootstrap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Models evaluated with the same settings compared with a baseline image by image: every image of one model was
 * drawn from the same prompt and the same noise as the same-index image of the other, so the difference of each
 * rate gets a paired bootstrap 95 % interval (resampling images jointly), much tighter than two separate
 * intervals. An interval above zero is a gain the evaluation resolves; one that straddles zero is not.
 *
 * @param baseline the model every other is compared with (the paper's Alttext fine-tune)
 * @param settings the shared evaluation settings
 * @param models the baseline first, then the others in the order asked
 */
public record EvaluationComparison(ModelRef baseline, TextToImageEvaluation.Settings settings, List<Entry> models) {

    /** Resamples of each difference's interval. */
    static final int RESAMPLES = 2000;

    /**
     * @param model the model
     * @param metrics its recorded evaluation metrics
     * @param differences model minus baseline, per metric ({@code overall}, each category, {@code counting_error},
     *        {@code clip_score}); empty for the baseline itself
     */
    public record Entry(ModelRef model, Map<String, Double> metrics, Map<String, Bootstrap.Interval> differences) {
    }

    /**
     * @throws EvaluationNotFoundException when a model has no evaluation
     * @throws IllegalArgumentException when the evaluations' settings differ (other prompts or noise)
     */
    public static EvaluationComparison compare(LocalBlobStore store, ModelRef baseline, List<ModelRef> others) {
        EvaluationRecord base = EvaluationRecord.read(store, baseline)
                .orElseThrow(() -> new EvaluationNotFoundException(baseline));
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(baseline, base.metrics(), Map.of()));
        for (ModelRef other : others) {
            EvaluationRecord record = EvaluationRecord.read(store, other)
                    .orElseThrow(() -> new EvaluationNotFoundException(other));
            if (!record.settings().equals(base.settings()) || record.outcomes().size() != base.outcomes().size()) {
                throw new IllegalArgumentException(other + " was evaluated with " + record.settings() + " but "
                        + baseline + " with " + base.settings() + "; evaluate both with the same params");
            }
            entries.add(new Entry(other, record.metrics(), differences(base, record)));
        }
        return new EvaluationComparison(baseline, base.settings(), entries);
    }

    private static Map<String, Bootstrap.Interval> differences(EvaluationRecord base, EvaluationRecord other) {
        Map<String, Bootstrap.Interval> differences = new LinkedHashMap<>();
        long seed = base.settings().seed();
        put(differences, "overall", base, other, o -> o.overall() ? 1 : 0, seed);
        List<String> categories = new ArrayList<>();
        base.outcomes().forEach(o -> o.categories().keySet().stream().filter(c -> !categories.contains(c))
                .forEach(categories::add));
        for (String category : categories) {
            put(differences, category, base, other,
                    o -> o.categories().containsKey(category) ? (o.categories().get(category) ? 1 : 0) : Double.NaN,
                    seed);
        }
        put(differences, "counting_error", base, other, TextToImageEvaluation.Outcome::countingError, seed);
        put(differences, "clip_score", base, other, TextToImageEvaluation.Outcome::clipScore, seed);
        return differences;
    }

    /** Pairs image i of both models where both values are defined (a category the prompt states, a counted prompt). */
    private static void put(Map<String, Bootstrap.Interval> differences, String name, EvaluationRecord base,
            EvaluationRecord other, ToDoubleFunction<TextToImageEvaluation.Outcome> value, long seed) {
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < base.outcomes().size(); i++) {
            double a = value.applyAsDouble(other.outcomes().get(i));
            double b = value.applyAsDouble(base.outcomes().get(i));
            if (Double.isFinite(a) && Double.isFinite(b)) {
                pairs.add(new double[] {a, b});
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        double[] model = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] reference = pairs.stream().mapToDouble(p -> p[1]).toArray();
        differences.put(name, Bootstrap.pairedDifference(model, reference, RESAMPLES, seed));
    }
}
