package io.recap.caption.web;

import io.recap.core.domain.CaptionStyle;
import io.recap.service.web.InvalidFieldException;
import java.util.List;
import java.util.Locale;

/** The {@code style} parameter: short, long or both. */
final class RequestedStyles {

    private RequestedStyles() {
    }

    static List<CaptionStyle> parse(String style) {
        String value = style == null || style.isBlank() ? "both" : style.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "short" -> List.of(CaptionStyle.SHORT);
            case "long" -> List.of(CaptionStyle.LONG);
            case "both" -> List.of(CaptionStyle.SHORT, CaptionStyle.LONG);
            default -> throw new InvalidFieldException("style",
                    "style must be short, long or both but was '" + abbreviate(style) + "'");
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
