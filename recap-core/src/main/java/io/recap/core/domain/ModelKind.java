package io.recap.core.domain;

import java.util.Locale;

/** What a stored model does; also the first directory level of the model store. */
public enum ModelKind {
    CAPTIONER,
    TEXT_TO_IMAGE,
    /**
     * A frozen network that only measures other models (the FID feature network and the CLIP-score model
     * analogues); versioned like the others so that every metric names the evaluator that produced it.
     */
    EVALUATOR;

    /** Directory name under {@code models/}: "captioner", "text-to-image" or "evaluator". */
    public String pathSegment() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts the enum name or its path segment, case-insensitively. */
    public static ModelKind parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("model kind is required");
        }
        String normalised = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (ModelKind kind : values()) {
            if (kind.name().equals(normalised)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown model kind '" + text + "' (expected captioner, text-to-image or evaluator)");
    }
}
