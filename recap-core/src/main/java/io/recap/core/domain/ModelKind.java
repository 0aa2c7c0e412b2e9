package io.recap.core.domain;

import java.util.Locale;

/** What a stored model does; also the first directory level of the model store. */
public enum ModelKind {
    CAPTIONER,
    TEXT_TO_IMAGE;

    /** Directory name under {@code models/}: "captioner" or "text-to-image". */
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
        throw new IllegalArgumentException("unknown model kind '" + text + "' (expected captioner or text-to-image)");
    }
}
