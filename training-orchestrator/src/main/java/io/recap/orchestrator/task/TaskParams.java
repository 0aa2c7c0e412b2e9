package io.recap.orchestrator.task;

import java.util.Locale;
import java.util.Map;

/**
 * Typed reads of a job's free-form {@code params}. Every problem is an {@link IllegalArgumentException} that
 * names the param, so a failed job says which override was wrong ({@code params.steps must be an integer
 * >= 1 but was 'ten'}).
 */
public record TaskParams(Map<String, String> values) {

    public TaskParams {
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public boolean has(String name) {
        String value = values.get(name);
        return value != null && !value.isBlank();
    }

    /** An integer in {@code [min, max]}, or {@code fallback} when the param is absent. */
    public int intValue(String name, int fallback, int min, int max) {
        if (!has(name)) {
            return fallback;
        }
        String text = values.get(name).trim();
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw invalid(name, "an integer in [" + min + ", " + max + "]", text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, "an integer in [" + min + ", " + max + "]", text);
        }
    }

    /** A long, or {@code fallback} when the param is absent. */
    public long longValue(String name, long fallback) {
        if (!has(name)) {
            return fallback;
        }
        String text = values.get(name).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(name, "an integer", text);
        }
    }

    /** A finite number in {@code [min, max]}, or {@code fallback} when the param is absent. */
    public double doubleValue(String name, double fallback, double min, double max) {
        if (!has(name)) {
            return fallback;
        }
        String text = values.get(name).trim();
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value) || value < min || value > max) {
                throw invalid(name, "a number in [" + min + ", " + max + "]", text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, "a number in [" + min + ", " + max + "]", text);
        }
    }

    /** {@code true}/{@code false}, or {@code fallback} when the param is absent. */
    public boolean booleanValue(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        String text = values.get(name).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "true or false", values.get(name));
        };
    }

    /** The trimmed text, or {@code fallback} when the param is absent. */
    public String text(String name, String fallback) {
        return has(name) ? values.get(name).trim() : fallback;
    }

    private static IllegalArgumentException invalid(String name, String expected, String actual) {
        return new IllegalArgumentException("params." + name + " must be " + expected + " but was '" + actual + "'");
    }
}
