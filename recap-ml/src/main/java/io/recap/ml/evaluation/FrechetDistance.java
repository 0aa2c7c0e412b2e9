package io.recap.ml.evaluation;

/**
 * The Fréchet distance between Gaussians fitted to two feature sets, the statistic behind FID
 * (Heusel et al., 2017):
 * {@code |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a^(1/2) S_b S_a^(1/2))^(1/2))}, with unbiased
 * (n - 1) covariances.
 *
 * <p>The symmetric form of the cross term needs only square roots of symmetric positive
 * semi-definite matrices, taken from a Jacobi eigendecomposition in double precision; eigenvalues
 * that rounding leaves slightly negative count as zero. This avoids the complex intermediate
 * results the usual {@code sqrtm(S_a S_b)} produces for near-singular covariances (fewer samples
 * than feature dimensions), which FID implementations then have to discard.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /**
     * @param a feature rows of one set (at least 2)
     * @param b feature rows of the other (at least 2, same width)
     * @return the squared Fréchet distance (as FID reports it), 0 for identical statistics
     */
    public static double of(float[][] a, float[][] b) {
        FeatureSets.requireComparable(a, b);
        double[] meanA = mean(a);
        double[] meanB = mean(b);
        double[][] covarianceA = covariance(a, meanA);
        double[][] covarianceB = covariance(b, meanB);
        double[][] rootA = SymmetricEigen.of(covarianceA).sqrt();
        double[][] middle = multiply(multiply(rootA, covarianceB), rootA);
        symmetrise(middle);
        double distance = 0;
        for (int i = 0; i < meanA.length; i++) {
            double difference = meanA[i] - meanB[i];
            distance += difference * difference + covarianceA[i][i] + covarianceB[i][i];
        }
        // Non-negative in exact arithmetic; rounding in the roots of near-zero eigenvalues can dip below.
        return Math.max(0, distance - 2 * SymmetricEigen.of(middle).traceOfSqrt());
    }

    private static double[] mean(float[][] rows) {
        double[] mean = new double[rows[0].length];
        for (float[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= rows.length;
        }
        return mean;
    }

    /** The unbiased sample covariance, dividing by n - 1. */
    private static double[][] covariance(float[][] rows, double[] mean) {
        int d = mean.length;
        double[][] covariance = new double[d][d];
        double[] centred = new double[d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                double[] target = covariance[i];
                for (int j = i; j < d; j++) {
                    target[j] += ci * centred[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                covariance[i][j] /= rows.length - 1;
                covariance[j][i] = covariance[i][j];
            }
        }
        return covariance;
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        int inner = y.length;
        int m = y[0].length;
        double[][] product = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < inner; k++) {
                double xik = x[i][k];
                double[] row = y[k];
                double[] target = product[i];
                for (int j = 0; j < m; j++) {
                    target[j] += xik * row[j];
                }
            }
        }
        return product;
    }

    /** Removes the rounding asymmetry of a product that is symmetric in exact arithmetic. */
    private static void symmetrise(double[][] matrix) {
        for (int i = 0; i < matrix.length; i++) {
            for (int j = i + 1; j < matrix.length; j++) {
                double average = (matrix[i][j] + matrix[j][i]) / 2;
                matrix[i][j] = average;
                matrix[j][i] = average;
            }
        }
    }
}
