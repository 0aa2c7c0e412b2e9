package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * Kind of caption attached to an image. SHORT and LONG are produced by the captioner, each selected
 * by its own fixed conditioning prefix (the paper's style prompts); ALT is the raw web alt-text.
 */
public enum CaptionStyle {
    /** A single short sentence. */
    SHORT("<short>"),
    /** One or two detailed sentences, at most 77 CLIP tokens. */
    LONG("<long>"),
    /** The original alt-text; its prefix exists only so a model can also be conditioned on it. */
    ALT("<alt>");

    private final String conditioningPrefix;

    CaptionStyle(String conditioningPrefix) {
        this.conditioningPrefix = conditioningPrefix;
    }

    /** The token the captioner is fed first to select this style. Fixed: changing it breaks trained models. */
    public String conditioningPrefix() {
        return conditioningPrefix;
    }

    /** True for styles a captioner writes (SHORT, LONG); false for the alt-text that comes with the corpus. */
    public boolean isGenerated() {
        return this != ALT;
    }

    /** Case-insensitive parse ("short", "LONG"), also used when reading JSON. */
    @JsonCreator
    public static CaptionStyle parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("caption style is required");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown caption style '" + text + "' (expected short, long or alt)");
        }
    }
}
