package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;
import java.util.Map;

/**
 * Relative weights with which a text-to-image trainer picks each sample's caption style.
 * The paper's best setting ("RECAP Mix") is 50/50 SHORT/LONG with no alt-text.
 * Weights are non-negative and finite and at least one is positive; they need not sum to 1.
 */
public record CaptionMix(double altWeight, double shortWeight, double longWeight) {

    public static final CaptionMix ALT_ONLY = new CaptionMix(1, 0, 0);
    public static final CaptionMix SHORT_ONLY = new CaptionMix(0, 1, 0);
    public static final CaptionMix LONG_ONLY = new CaptionMix(0, 0, 1);
    public static final CaptionMix RECAP_MIX = new CaptionMix(0, 0.5, 0.5);

    public CaptionMix {
        Require.finiteNonNegative(altWeight, "altWeight");
        Require.finiteNonNegative(shortWeight, "shortWeight");
        Require.finiteNonNegative(longWeight, "longWeight");
        Require.that(altWeight + shortWeight + longWeight > 0, "caption mix weights must not all be zero");
    }

    public double weight(CaptionStyle style) {
        return switch (style) {
            case ALT -> altWeight;
            case SHORT -> shortWeight;
            case LONG -> longWeight;
        };
    }

    /** Share of samples that get {@code style}, in [0, 1]. */
    public double probability(CaptionStyle style) {
        return weight(style) / (altWeight + shortWeight + longWeight);
    }

    /**
     * Maps a uniform draw {@code u} in [0, 1) to a style, so the trainer owns the random source
     * (and its seed) while the mix stays a pure value. Intervals follow enum order: SHORT, LONG, ALT.
     */
    public CaptionStyle pick(double u) {
        Require.that(u >= 0 && u < 1, "u must be in [0, 1) but was " + u);
        double threshold = u * (altWeight + shortWeight + longWeight);
        CaptionStyle lastPositive = null;
        double cumulative = 0;
        for (CaptionStyle style : CaptionStyle.values()) {
            double weight = weight(style);
            if (weight == 0) {
                continue;
            }
            cumulative += weight;
            lastPositive = style;
            if (threshold < cumulative) {
                return style;
            }
        }
        // Only reachable when rounding puts u * total exactly on the total.
        return lastPositive;
    }

    /**
     * Parses a preset ({@code alt}, {@code short}, {@code long}, {@code mix}) or explicit weights
     * such as {@code short=0.5,long=0.5} (unnamed styles get 0; style names are case-insensitive).
     */
    public static CaptionMix parse(String text) {
        Require.text(text, "caption mix");
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        switch (trimmed) {
            case "alt":
                return ALT_ONLY;
            case "short":
                return SHORT_ONLY;
            case "long":
                return LONG_ONLY;
            case "mix":
            case "recap-mix":
                return RECAP_MIX;
            default:
                break;
        }
        double[] weights = new double[CaptionStyle.values().length];
        boolean[] seen = new boolean[weights.length];
        for (String part : trimmed.split(",")) {
            String[] pair = part.split("=", -1);
            if (pair.length != 2) {
                throw new IllegalArgumentException("caption mix entry '" + part.trim()
                        + "' must be style=weight (in '" + text + "')");
            }
            CaptionStyle style = CaptionStyle.parse(pair[0]);
            if (seen[style.ordinal()]) {
                throw new IllegalArgumentException("caption mix names " + style + " twice: '" + text + "'");
            }
            seen[style.ordinal()] = true;
            try {
                weights[style.ordinal()] = Double.parseDouble(pair[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("caption mix weight '" + pair[1].trim() + "' is not a number");
            }
        }
        return new CaptionMix(weights[CaptionStyle.ALT.ordinal()], weights[CaptionStyle.SHORT.ordinal()],
                weights[CaptionStyle.LONG.ordinal()]);
    }

    /**
     * How JSON gives a mix: any form {@link #parse(String)} takes, or an object of weights
     * {@code {"altWeight":..,"shortWeight":..,"longWeight":..}} where an absent weight is 0. One creator takes both
     * shapes so that a value of neither shape is refused with the forms it may take.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static CaptionMix fromJson(Object value) {
        if (value instanceof String text) {
            return parse(text);
        }
        if (value instanceof Map<?, ?> weights) {
            return new CaptionMix(weight(weights.get("altWeight")), weight(weights.get("shortWeight")),
                    weight(weights.get("longWeight")));
        }
        throw new IllegalArgumentException("must be a preset (mix, short, long, alt), \"short=0.5,long=0.5\""
                + " or {altWeight, shortWeight, longWeight}");
    }

    private static double weight(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException("weights must be numbers but got '" + value + "'");
    }

    /** The explicit form accepted by {@link #parse(String)}, e.g. {@code alt=0,short=0.5,long=0.5}. */
    @Override
    public String toString() {
        return "alt=" + format(altWeight) + ",short=" + format(shortWeight) + ",long=" + format(longWeight);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
