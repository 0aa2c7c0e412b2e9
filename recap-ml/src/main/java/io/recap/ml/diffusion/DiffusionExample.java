package io.recap.ml.diffusion;

import io.recap.core.domain.CaptionStyle;
import java.awt.image.BufferedImage;

/**
 * One training image with its captions by style. A style the example lacks is null or blank;
 * the trainer then falls back to another style the example has (see {@link #caption}).
 *
 * @param image the picture, resized to the model's image size when needed
 * @param altText the corpus alt-text
 * @param shortCaption a SHORT caption (captioner-written or human)
 * @param longCaption a LONG caption
 */
public record DiffusionExample(BufferedImage image, String altText, String shortCaption, String longCaption) {

    public DiffusionExample {
        if (image == null) {
            throw new IllegalArgumentException("an example needs an image");
        }
        if (isBlank(altText) && isBlank(shortCaption) && isBlank(longCaption)) {
            throw new IllegalArgumentException("an example needs at least one caption");
        }
    }

    /** The caption of {@code style}, or when missing the first present one in order LONG, SHORT, ALT. */
    public String caption(CaptionStyle style) {
        String wanted = switch (style) {
            case ALT -> altText;
            case SHORT -> shortCaption;
            case LONG -> longCaption;
        };
        if (!isBlank(wanted)) {
            return wanted;
        }
        return !isBlank(longCaption) ? longCaption : !isBlank(shortCaption) ? shortCaption : altText;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
