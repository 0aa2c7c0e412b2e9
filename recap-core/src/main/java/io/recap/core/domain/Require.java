package io.recap.core.domain;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Argument checks for record compact constructors. They throw {@link IllegalArgumentException}
 * with the field name, so a decoding layer can report exactly which field was wrong.
 */
public final class Require {

    /** Letters, digits, dot, dash, underscore; starts with a letter or digit (so never "." or ".."). */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private Require() {
    }

    /**
     * An identifier that is safe as a directory name and as part of a Kafka key
     * (corpus, batch, job, model name, version): at most 128 of {@code [A-Za-z0-9._-]}.
     */
    public static String safeId(String value, String field) {
        text(value, field);
        if (!SAFE_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' may only contain letters, digits, '.', '-', '_' (at most 128) and must start with a letter or digit");
        }
        return value;
    }

    /** Free-form identifier (e.g. an image id chosen by a producer): non-blank, no control characters. */
    public static String label(String value, String field) {
        text(value, field);
        if (value.length() > 1024) {
            throw new IllegalArgumentException(field + " is longer than 1024 characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " contains a control character");
        }
        return value;
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
        return value;
    }

    public static <C extends Collection<?>> C notEmpty(C values, String field) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException(field + " must not contain null elements");
            }
        }
        return values;
    }

    public static <M extends Map<?, ?>> M noNullEntries(M values, String field) {
        if (values == null) {
            return null;
        }
        values.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(field + " must not contain null keys or values");
            }
        });
        return values;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
        }
        return value;
    }

    public static double finiteNonNegative(double value, String field) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0 but was " + value);
        }
        return value;
    }

    public static void that(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
