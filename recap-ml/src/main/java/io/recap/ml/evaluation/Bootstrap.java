package io.recap.ml.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals (95 %) for mean outcomes over prompts, such as the
 * success rate or mean CLIP score of a model. Deterministic for a seed, so a report can be
 * regenerated exactly.
 */
public final class Bootstrap {

    private static final double LOW = 0.025;
    private static final double HIGH = 0.975;

    private Bootstrap() {
    }

    /**
     * @param estimate the statistic on the data as observed
     * @param low 2.5th percentile of the resampled statistic
     * @param high 97.5th percentile of the resampled statistic
     */
    public record Interval(double estimate, double low, double high) {
    }

    /** The mean of {@code values} with the percentile interval of means of {@code resamples} resamples. */
    public static Interval mean(double[] values, int resamples, long seed) {
        require(values, resamples);
        SplittableRandom random = new SplittableRandom(seed);
        int n = values.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        return interval(average(values), means);
    }

    /**
     * The mean of {@code a[i] - b[i]} and its interval, resampling prompts (indices) jointly: {@code a} and
     * {@code b} are the outcomes of two models on the same prompts, so a prompt that is hard for both stays
     * paired and only the difference it makes varies.
     */
    public static Interval pairedDifference(double[] a, double[] b, int resamples, long seed) {
        require(a, resamples);
        if (b == null || b.length != a.length) {
            throw new IllegalArgumentException("paired outcomes need one value per prompt from each model, got "
                    + a.length + " and " + (b == null ? 0 : b.length));
        }
        double[] differences = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            differences[i] = a[i] - b[i];
        }
        return mean(differences, resamples, seed);
    }

    private static void require(double[] values, int resamples) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("a bootstrap needs at least one value");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("a bootstrap needs at least 1 resample, got " + resamples);
        }
    }

    private static Interval interval(double estimate, double[] statistics) {
        double[] sorted = statistics.clone();
        Arrays.sort(sorted);
        return new Interval(estimate, percentile(sorted, LOW), percentile(sorted, HIGH));
    }

    /** Linear interpolation between order statistics, as numpy's default percentile. */
    private static double percentile(double[] sorted, double fraction) {
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double average(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
