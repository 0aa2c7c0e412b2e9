package io.recap.orchestrator.ingest;

import io.recap.core.domain.ImageRef;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns a ShapesWorld corpus manifest into {@link CorpusIngestBatch}es: images by {@code file:} reference
 * (never inline), with their alt-text, in manifest order.
 *
 * <p>Batch ids are content-addressed ({@code m-} + SHA-256 of the batch's ids, uris and alt-texts), so
 * publishing the same manifest twice produces the same batches, which the catalog recognises and skips;
 * a changed or grown manifest produces new batches for what changed, and images already catalogued keep
 * their first registration.
 */
public final class ManifestBatches {

    private ManifestBatches() {
    }

    /**
     * @param confine maps an image's path (manifest directory + entry file) to the path to reference, and
     *        throws {@link io.recap.core.store.UnsafePathException} for one that may not be referenced
     */
    public static List<CorpusIngestBatch> of(String corpusId, CorpusManifest manifest, int batchSize,
            UnaryOperator<Path> confine) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        List<CorpusIngestBatch> batches = new ArrayList<>();
        List<CorpusIngestBatch.Item> items = new ArrayList<>(batchSize);
        for (CorpusEntry entry : manifest.entries()) {
            Path image = confine.apply(manifest.imagePath(entry));
            items.add(new CorpusIngestBatch.Item(entry.id(), ImageRef.ofUri(image.toUri().toString()), entry.altText()));
            if (items.size() == batchSize) {
                batches.add(batch(corpusId, items));
                items = new ArrayList<>(batchSize);
            }
        }
        if (!items.isEmpty()) {
            batches.add(batch(corpusId, items));
        }
        return batches;
    }

    private static CorpusIngestBatch batch(String corpusId, List<CorpusIngestBatch.Item> items) {
        MessageDigest digest = sha256();
        for (CorpusIngestBatch.Item item : items) {
            digest.update((item.imageId() + '\0' + item.image().uri() + '\0' + item.altText() + '\n')
                    .getBytes(StandardCharsets.UTF_8));
        }
        String batchId = "m-" + HexFormat.of().formatHex(digest.digest()).substring(0, 24);
        return new CorpusIngestBatch(corpusId, batchId, items);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
