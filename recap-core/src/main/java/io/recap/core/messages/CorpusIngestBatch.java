package io.recap.core.messages;

import io.recap.core.domain.ImageRef;
import io.recap.core.domain.Require;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A batch of images with their web alt-text, registering (part of) a corpus with the orchestrator. */
public record CorpusIngestBatch(int schemaVersion, String corpusId, String batchId, List<Item> items)
        implements RecapMessage {

    /** One image; alt-text may be empty (many web images have none) but is never null. */
    public record Item(String imageId, ImageRef image, String altText) {
        public Item {
            Require.label(imageId, "imageId");
            Require.present(image, "image");
            altText = altText == null ? "" : altText;
        }
    }

    public CorpusIngestBatch {
        RecapMessage.requireSupportedVersion(schemaVersion);
        Require.safeId(corpusId, "corpusId");
        Require.safeId(batchId, "batchId");
        items = List.copyOf(Require.notEmpty(items, "items"));
        requireUniqueImageIds(items.stream().map(Item::imageId).toList());
    }

    public CorpusIngestBatch(String corpusId, String batchId, List<Item> items) {
        this(CURRENT_SCHEMA_VERSION, corpusId, batchId, items);
    }

    @Override
    public String key() {
        return corpusId;
    }

    static void requireUniqueImageIds(List<String> imageIds) {
        Set<String> seen = new HashSet<>();
        for (String imageId : imageIds) {
            Require.that(seen.add(imageId), "imageId '" + imageId + "' appears twice in the batch");
        }
    }
}
