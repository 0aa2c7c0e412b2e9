package io.recap.orchestrator.ingest.format;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.Require;
import java.nio.file.Path;
import java.util.Map;

/**
 * One usable image of a corpus, as every reader produces it.
 *
 * @param imageId unique within the corpus; accepted by {@link Require#label}
 * @param image where the image is: a {@code file:} URI of the real path of an existing PNG, JPEG or WebP file under
 *        the allowed roots, or a {@code tar:} URI of a member of a WebDataset shard there
 * @param altText the text the corpus came with; empty when it has none, never null
 * @param captions human captions by style, where the format carries them (the recap manifest may); else empty
 */
public record CorpusItem(String imageId, ImageRef image, String altText, Map<CaptionStyle, String> captions) {

    public CorpusItem {
        Require.label(imageId, "imageId");
        Require.that(image != null && image.uri() != null, "image must be referenced by uri");
        altText = altText == null ? "" : altText;
        captions = captions == null ? Map.of() : Map.copyOf(captions);
    }

    /** An item whose image is a file; {@code image} must be absolute. */
    public CorpusItem(String imageId, Path image, String altText, Map<CaptionStyle, String> captions) {
        this(imageId, fileRef(image), altText, captions);
    }

    private static ImageRef fileRef(Path image) {
        Require.that(image != null && image.isAbsolute(), "image must be an absolute path");
        return ImageRef.ofUri(image.toUri().toString());
    }

    public boolean hasAltText() {
        return !altText.isBlank();
    }
}
