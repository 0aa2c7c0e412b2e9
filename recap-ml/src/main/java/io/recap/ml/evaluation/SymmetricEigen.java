package io.recap.ml.evaluation;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by cyclic Jacobi rotations, in double
 * precision. Jacobi is slower than tridiagonal QR but short, unconditionally stable and accurate
 * for small eigenvalues, which the square roots of near-singular feature covariances depend on;
 * at the feature widths used here (at most a few hundred) it takes well under a second.
 *
 * @param values eigenvalues, in no particular order
 * @param vectors eigenvectors as columns: {@code vectors[k][i]} is component k of vector i
 */
record SymmetricEigen(double[] values, double[][] vectors) {

    private static final int MAX_SWEEPS = 100;
    /** Stop once the off-diagonal mass is this small relative to the whole matrix (squared norms). */
    private static final double TOLERANCE = 1e-30;

    /** Decomposes {@code matrix}, which must be square and symmetric; it is left unchanged. */
    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        double[][] v = new double[n][n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + matrix[i].length
                        + " columns, expected " + n);
            }
            a[i] = matrix[i].clone();
            v[i][i] = 1;
            for (int j = 0; j < n; j++) {
                total += a[i][j] * a[i][j];
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS && offDiagonal(a) > TOLERANCE * total; sweep++) {
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, v, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    /** V f(L) V^T with f = square root, eigenvalues below zero (rounding) taken as zero. */
    double[][] sqrt() {
        int n = values.length;
        double[] roots = new double[n];
        for (int i = 0; i < n; i++) {
            roots[i] = Math.sqrt(Math.max(0, values[i]));
        }
        double[][] result = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += vectors[i][k] * roots[k] * vectors[j][k];
                }
                result[i][j] = sum;
                result[j][i] = sum;
            }
        }
        return result;
    }

    /** The trace of the square root: the sum of the roots of the eigenvalues, negatives taken as zero. */
    double traceOfSqrt() {
        double sum = 0;
        for (double value : values) {
            sum += Math.sqrt(Math.max(0, value));
        }
        return sum;
    }

    private static double offDiagonal(double[][] a) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                if (i != j) {
                    sum += a[i][j] * a[i][j];
                }
            }
        }
        return sum;
    }

    /** A := J^T A J and V := V J for the rotation J in the (p, q) plane that zeroes a[p][q]. */
    private static void rotate(double[][] a, double[][] v, int p, int q) {
        double tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.abs(tau) > 1e150 ? 1 / (2 * tau)
                : Math.copySign(1, tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double kp = a[k][p];
            double kq = a[k][q];
            a[k][p] = c * kp - s * kq;
            a[k][q] = s * kp + c * kq;
        }
        for (int k = 0; k < n; k++) {
            double pk = a[p][k];
            double qk = a[q][k];
            a[p][k] = c * pk - s * qk;
            a[q][k] = s * pk + c * qk;
        }
        a[p][q] = 0;
        a[q][p] = 0;
        for (int k = 0; k < n; k++) {
            double kp = v[k][p];
            double kq = v[k][q];
            v[k][p] = c * kp - s * kq;
            v[k][q] = s * kp + c * kq;
        }
    }
}
