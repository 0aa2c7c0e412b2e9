package io.recap.orchestrator.ingest;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.orchestrator.ingest.format.CorpusItem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a corpus's items into {@link CorpusIngestBatch}es: images by {@code file:} reference (never inline),
 * with their alt-text, in the corpus's order.
 *
 * <p>Batch ids are content-addressed ({@code m-} + SHA-256 of the batch's ids, uris and alt-texts), so
 * publishing the same corpus twice produces the same batches, which the catalog recognises and skips;
 * a changed or grown manifest produces new batches for what changed, and images already catalogued keep
 * their first registration.
 */
public final class ManifestBatches {

    private ManifestBatches() {
    }

    /** @param items checked items (their image paths real and under the allowed roots), ids unique */
    public static List<CorpusIngestBatch> of(String corpusId, List<CorpusItem> items, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        List<CorpusIngestBatch> batches = new ArrayList<>();
        List<CorpusIngestBatch.Item> batch = new ArrayList<>(batchSize);
        for (CorpusItem item : items) {
            batch.add(new CorpusIngestBatch.Item(item.imageId(), item.image(),
                    item.altText()));
            if (batch.size() == batchSize) {
                batches.add(batch(corpusId, batch));
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch(corpusId, batch));
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
