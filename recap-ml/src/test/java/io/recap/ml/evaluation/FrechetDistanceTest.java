package io.recap.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        float[][] features = gaussian(300, 16, 0f, 1);

        assertThat(FrechetDistance.of(features, features)).isCloseTo(0, within(1e-9));
    }

    @Test
    void fewerSamplesThanDimensionsStillGiveAFiniteDistance() {
        // Rank-deficient covariances: rounding leaves some eigenvalues slightly negative.
        float[][] a = gaussian(20, 64, 0f, 2);
        float[][] b = gaussian(20, 64, 0f, 3);

        assertThat(FrechetDistance.of(a, a)).isCloseTo(0, within(1e-4)).isNotNegative();
        assertThat(FrechetDistance.of(a, b)).isFinite().isPositive();
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        // Hadamard columns give samples whose mean and unbiased covariance are exactly known.
        double[] meanA = {1, -2.5, 0, 4};
        double[] meanB = {0.5, 1, -3, 4};
        double[] scaleA = {1, 2, 0.5, 3};
        double[] scaleB = {2, 0.25, 0.5, 1};
        float[][] a = hadamardSamples(meanA, scaleA);
        float[][] b = hadamardSamples(meanB, scaleB);
        int n = a.length;

        double expected = 0;
        for (int i = 0; i < meanA.length; i++) {
            double varianceA = scaleA[i] * scaleA[i] * n / (n - 1);
            double varianceB = scaleB[i] * scaleB[i] * n / (n - 1);
            expected += Math.pow(meanA[i] - meanB[i], 2) + varianceA + varianceB
                    - 2 * Math.sqrt(varianceA * varianceB);
        }

        assertThat(FrechetDistance.of(a, b)).isCloseTo(expected, within(1e-6 * expected));
    }

    @Test
    void rotatingBothSetsAlikeLeavesTheDistanceUnchanged() {
        // Full (non-diagonal) covariances exercise the matrix square roots, not just their diagonals.
        float[][] a = gaussian(400, 8, 0f, 3);
        float[][] b = stretch(gaussian(400, 8, 0.7f, 4), 3f);
        double[][] rotation = rotation(8, 5);

        double plain = FrechetDistance.of(a, b);
        double rotated = FrechetDistance.of(rotate(a, rotation), rotate(b, rotation));

        assertThat(rotated).isCloseTo(plain, within(1e-4 * plain));
    }

    @Test
    void aMeanShiftAddsItsSquaredLength() {
        float[][] base = gaussian(300, 16, 0f, 6);

        double small = FrechetDistance.of(base, shifted(base, 0.5f));
        double large = FrechetDistance.of(base, shifted(base, 2f));

        assertThat(small).isCloseTo(16 * 0.25, within(1e-3));
        assertThat(large).isCloseTo(16 * 4.0, within(1e-2));
    }

    @Test
    void refusesSetsTooSmallOrOfDifferentWidths() {
        float[][] one = {{1, 2}};
        float[][] two = {{1, 2}, {3, 4}};
        float[][] wide = {{1, 2, 3}, {3, 4, 5}};

        assertThatThrownBy(() -> FrechetDistance.of(one, two)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 rows");
        assertThatThrownBy(() -> FrechetDistance.of(two, wide)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in width");
        assertThatThrownBy(() -> FrechetDistance.of(two, new float[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mixes widths");
    }

    static float[][] gaussian(int rows, int width, float mean, long seed) {
        Random random = new Random(seed);
        float[][] values = new float[rows][width];
        for (float[] row : values) {
            for (int j = 0; j < width; j++) {
                row[j] = mean + (float) random.nextGaussian();
            }
        }
        return values;
    }

    static float[][] shifted(float[][] rows, float shift) {
        float[][] result = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            result[i] = rows[i].clone();
            for (int j = 0; j < result[i].length; j++) {
                result[i][j] += shift;
            }
        }
        return result;
    }

    /** Multiplies the first coordinate, so that the two sets' covariances differ in shape. */
    private static float[][] stretch(float[][] rows, float factor) {
        for (float[] row : rows) {
            row[0] *= factor;
        }
        return rows;
    }

    /** 16 samples: mean[i] + scale[i] * (column i + 1 of the 16x16 Sylvester Hadamard matrix). */
    private static float[][] hadamardSamples(double[] mean, double[] scale) {
        float[][] rows = new float[16][mean.length];
        for (int r = 0; r < 16; r++) {
            for (int i = 0; i < mean.length; i++) {
                int sign = Integer.bitCount(r & (i + 1)) % 2 == 0 ? 1 : -1;
                rows[r][i] = (float) (mean[i] + scale[i] * sign);
            }
        }
        return rows;
    }

    /** A random orthogonal matrix (Gram-Schmidt on Gaussian columns). */
    private static double[][] rotation(int n, long seed) {
        Random random = new Random(seed);
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                v[k] = random.nextGaussian();
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += v[k] * q[k][p];
                }
                for (int k = 0; k < n; k++) {
                    v[k] -= dot * q[k][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            for (int k = 0; k < n; k++) {
                q[k][c] = v[k] / Math.sqrt(norm);
            }
        }
        return q;
    }

    private static float[][] rotate(float[][] rows, double[][] rotation) {
        float[][] result = new float[rows.length][rotation.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rotation.length; j++) {
                double sum = 0;
                for (int k = 0; k < rotation.length; k++) {
                    sum += rotation[j][k] * rows[i][k];
                }
                result[i][j] = (float) sum;
            }
        }
        return result;
    }
}
