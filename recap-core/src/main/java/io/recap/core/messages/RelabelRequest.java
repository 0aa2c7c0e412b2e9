package io.recap.core.messages;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Asks a relabel worker to caption a batch of a corpus with one captioner version, in the given styles. */
public record RelabelRequest(
        int schemaVersion,
        String corpusId,
        String batchId,
        List<Item> items,
        ModelRef captioner,
        Set<CaptionStyle> styles) implements RecapMessage {

    public record Item(String imageId, ImageRef image) {
        public Item {
            Require.label(imageId, "imageId");
            Require.present(image, "image");
        }
    }

    public RelabelRequest {
        RecapMessage.requireSupportedVersion(schemaVersion);
        Require.safeId(corpusId, "corpusId");
        Require.safeId(batchId, "batchId");
        items = List.copyOf(Require.notEmpty(items, "items"));
        CorpusIngestBatch.requireUniqueImageIds(items.stream().map(Item::imageId).toList());
        Require.present(captioner, "captioner").requireKind(ModelKind.CAPTIONER);
        styles = generatedStyles(styles);
    }

    public RelabelRequest(String corpusId, String batchId, List<Item> items, ModelRef captioner,
            Set<CaptionStyle> styles) {
        this(CURRENT_SCHEMA_VERSION, corpusId, batchId, items, captioner, styles);
    }

    /** {@code corpusId/batchId}: one batch is processed in order and deduplicated as a unit. */
    @Override
    public String key() {
        return corpusId + "/" + batchId;
    }

    /** Non-empty, captioner-written styles only, in enum order (so the JSON is deterministic). */
    static Set<CaptionStyle> generatedStyles(Set<CaptionStyle> styles) {
        Require.notEmpty(styles, "styles");
        for (CaptionStyle style : styles) {
            Require.that(style.isGenerated(), "style " + style + " is not written by a captioner");
        }
        return Collections.unmodifiableSet(EnumSet.copyOf(styles));
    }
}
