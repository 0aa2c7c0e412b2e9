package io.recap.orchestrator.ingest;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.domain.ImageRef;
import io.recap.core.messages.CorpusIngestBatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a corpus's records into {@link CorpusIngestBatch}es: images by {@code file:} or {@code tar:} reference
 * (never inline), with their alt-text, in the corpus's order. This is the one place a record becomes a message
 * item; the message carries the id, image and alt-text, which is what the catalog registers, and a record's split,
 * human captions and metadata stay with the corpus.
 *
 * <p>Batch ids are content-addressed ({@code m-} + SHA-256 of the batch's ids, uris and alt-texts), so
 * publishing the same corpus twice produces the same batches, which the catalog recognises and skips;
 * a changed or grown manifest produces new batches for what changed, and images already catalogued keep
 * their first registration.
 */
public final class ManifestBatches {

    private ManifestBatches() {
    }

    /**
     * @param records records as {@code CorpusReaders} reads them: images resolved and checked (real paths under the
     *        allowed roots), ids unique
     * @throws IllegalArgumentException for a record whose image is not resolved (a relative path or {@code file:}
     *         URI, which would be read against whatever directory a consumer runs in)
     */
    public static List<CorpusIngestBatch> of(String corpusId, List<CorpusRecord> records, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        List<CorpusIngestBatch> batches = new ArrayList<>();
        List<CorpusIngestBatch.Item> batch = new ArrayList<>(batchSize);
        for (CorpusRecord record : records) {
            batch.add(item(record));
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

    private static CorpusIngestBatch.Item item(CorpusRecord record) {
        ImageRef image = ImageRef.ofUri(resolved(record));
        // Item checks the id as a label, as the catalog needs it.
        return new CorpusIngestBatch.Item(record.id(), image, record.altText());
    }

    /** The record's image, if it is an absolute {@code file:} URI or a {@code tar:} URI into one. */
    private static String resolved(CorpusRecord record) {
        String image = record.image();
        String file = image.regionMatches(true, 0, "tar:", 0, 4) ? image.substring(4) : image;
        if (!file.regionMatches(true, 0, "file:/", 0, 6)) {
            throw new IllegalArgumentException("record '" + record.id() + "' has image '" + image + "', which is not"
                    + " resolved: batches reference images by absolute file: or tar: URI, as CorpusReaders gives them");
        }
        return image;
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
