package io.recap.ml.evaluation;

/** Checks shared by the distribution metrics: two sets of feature rows, each of at least two rows, of one width. */
final class FeatureSets {

    private FeatureSets() {
    }

    /** The common width of {@code a} and {@code b}; refuses sets too small to estimate a spread from. */
    static int requireComparable(float[][] a, float[][] b) {
        int width = width(a, "first");
        int other = width(b, "second");
        if (width != other) {
            throw new IllegalArgumentException("feature sets differ in width: " + width + " vs " + other);
        }
        return width;
    }

    private static int width(float[][] rows, String which) {
        if (rows == null || rows.length < 2) {
            throw new IllegalArgumentException("the " + which + " feature set needs at least 2 rows, got "
                    + (rows == null ? 0 : rows.length));
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new IllegalArgumentException("the " + which + " feature set has rows of width 0");
        }
        for (int i = 1; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("the " + which + " feature set mixes widths: row 0 has " + width
                        + ", row " + i + " has " + rows[i].length);
            }
        }
        return width;
    }
}
