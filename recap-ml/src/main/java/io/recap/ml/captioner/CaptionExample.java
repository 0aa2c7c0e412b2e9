package io.recap.ml.captioner;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One training pair: an image, the style its caption is written in (selects the prefix token,
 * e.g. {@code short}, {@code long}, {@code terse}) and the caption.
 */
public record CaptionExample(BufferedImage image, String style, String caption) {

    public CaptionExample {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(caption, "caption");
    }
}
