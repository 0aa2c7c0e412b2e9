package io.recap.orchestrator.ingest.format;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.Require;
import java.nio.file.Path;
import java.util.Map;

/**
 * One usable image of a corpus, as every reader produces it.
 *
 * @param imageId unique within the corpus; accepted by {@link Require#label}
 * @param image the real, absolute path of an existing PNG or JPEG file under the allowed roots
 * @param altText the text the corpus came with; empty when it has none, never null
 * @param captions human captions by style, where the format carries them (ShapesWorld does); else empty
 */
public record CorpusItem(String imageId, Path image, String altText, Map<CaptionStyle, String> captions) {

    public CorpusItem {
        Require.label(imageId, "imageId");
        Require.that(image != null && image.isAbsolute(), "image must be an absolute path");
        altText = altText == null ? "" : altText;
        captions = captions == null ? Map.of() : Map.copyOf(captions);
    }

    public boolean hasAltText() {
        return !altText.isBlank();
    }
}
