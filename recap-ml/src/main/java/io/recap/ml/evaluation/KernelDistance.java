package io.recap.ml.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The kernel distance behind KID (Bińkowski et al., 2018), computed as torch-fidelity does: the
 * unbiased estimate of the squared maximum mean discrepancy under the cubic polynomial kernel
 * {@code k(x, y) = (x·y / d + 1)^3}, averaged over random subsets of both sets.
 *
 * <p>Unlike the Fréchet distance it is unbiased in the number of samples, so small evaluation
 * sets can be compared with each other; being unbiased, it can come out slightly negative when
 * both sets come from one distribution.
 *
 * <p>Subsets of evaluation-sized sets overlap heavily, so where it takes fewer kernel evaluations
 * and the tables fit in {@value #MAX_TABLE_ENTRIES} entries, every kernel value is computed once
 * up front and the subsets only add them up.
 */
public final class KernelDistance {

    /** Largest total size of the three kernel tables (single precision), about 64 MB. */
    private static final long MAX_TABLE_ENTRIES = 1L << 24;

    private KernelDistance() {
    }

    /**
     * @param mean mean of the per-subset estimates
     * @param std their population standard deviation (spread over subsets, not a standard error)
     */
    public record Result(double mean, double std) {
    }

    /**
     * @param a feature rows of one set (at least 2)
     * @param b feature rows of the other (at least 2, same width)
     * @param subsets number of random subset pairs to average over
     * @param subsetSize rows per subset, drawn without replacement; capped at the smaller set's size
     * @param seed subset draws
     */
    public static Result of(float[][] a, float[][] b, int subsets, int subsetSize, long seed) {
        FeatureSets.requireComparable(a, b);
        if (subsets < 1 || subsetSize < 2) {
            throw new IllegalArgumentException("KID needs at least 1 subset of at least 2 rows, got " + subsets
                    + " subsets of " + subsetSize);
        }
        int m = Math.min(subsetSize, Math.min(a.length, b.length));
        long tables = (long) a.length * a.length + (long) b.length * b.length + (long) a.length * b.length;
        boolean precompute = tables <= MAX_TABLE_ENTRIES && tables < 2L * subsets * m * m;
        KernelTable xx = new KernelTable(a, a, precompute);
        KernelTable yy = new KernelTable(b, b, precompute);
        KernelTable xy = new KernelTable(a, b, precompute);
        SplittableRandom random = new SplittableRandom(seed);
        double[] estimates = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            int[] x = sample(a.length, m, random);
            int[] y = sample(b.length, m, random);
            estimates[s] = unbiasedMmd2(x, y, xx, yy, xy);
        }
        double mean = 0;
        for (double estimate : estimates) {
            mean += estimate;
        }
        mean /= subsets;
        double variance = 0;
        for (double estimate : estimates) {
            variance += (estimate - mean) * (estimate - mean);
        }
        return new Result(mean, Math.sqrt(variance / subsets));
    }

    /** (sum_{i != j} k(x_i, x_j) + sum_{i != j} k(y_i, y_j)) / (m (m - 1)) - 2 sum_{i, j} k(x_i, y_j) / m^2. */
    private static double unbiasedMmd2(int[] x, int[] y, KernelTable xx, KernelTable yy, KernelTable xy) {
        int m = x.length;
        double withinX = 0;
        double withinY = 0;
        double across = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                withinX += xx.at(x[i], x[j]);
                withinY += yy.at(y[i], y[j]);
            }
            for (int j = 0; j < m; j++) {
                across += xy.at(x[i], y[j]);
            }
        }
        // The kernel is symmetric: each off-diagonal pair was summed once and counts twice.
        return 2 * (withinX + withinY) / ((double) m * (m - 1)) - 2 * across / ((double) m * m);
    }

    /** {@code count} distinct indices below {@code n}, by a partial Fisher-Yates shuffle. */
    private static int[] sample(int n, int count, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return Arrays.copyOf(order, count);
    }

    /** k(rows[i], columns[j]), from a table filled once or computed at each call. */
    private static final class KernelTable {

        private final float[][] rows;
        private final float[][] columns;
        private final float[] values;

        KernelTable(float[][] rows, float[][] columns, boolean precompute) {
            this.rows = rows;
            this.columns = columns;
            values = precompute ? fill(rows, columns) : null;
        }

        double at(int i, int j) {
            return values != null ? values[i * columns.length + j] : kernel(rows[i], columns[j]);
        }

        private static float[] fill(float[][] rows, float[][] columns) {
            int n = columns.length;
            float[] table = new float[rows.length * n];
            boolean symmetric = rows == columns;
            for (int i = 0; i < rows.length; i++) {
                for (int j = symmetric ? i : 0; j < n; j++) {
                    float value = (float) kernel(rows[i], columns[j]);
                    table[i * n + j] = value;
                    if (symmetric) {
                        table[j * n + i] = value;
                    }
                }
            }
            return table;
        }

        private static double kernel(float[] u, float[] v) {
            int width = u.length;
            // Four independent sums: one running sum waits on the previous addition at every element.
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int k = 0;
            for (; k + 3 < width; k += 4) {
                s0 += (double) u[k] * v[k];
                s1 += (double) u[k + 1] * v[k + 1];
                s2 += (double) u[k + 2] * v[k + 2];
                s3 += (double) u[k + 3] * v[k + 3];
            }
            for (; k < width; k++) {
                s0 += (double) u[k] * v[k];
            }
            double base = (s0 + s1 + s2 + s3) / width + 1;
            return base * base * base;
        }
    }
}
