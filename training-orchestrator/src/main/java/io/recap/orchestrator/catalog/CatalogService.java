package io.recap.orchestrator.catalog;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.RelabelResult;
import io.recap.core.store.LocalBlobStore;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/** The corpus catalog: ingest, relabel results, queries and dataset snapshots. */
public class CatalogService {

    private static final Logger log = LoggerFactory.getLogger(CatalogService.class);
    private static final int PAGE = 1000;

    /** What happened to one message. */
    public enum Outcome { ACCEPTED, DUPLICATE, UNKNOWN_IMAGE }

    private final CatalogRepository repository;
    private final TransactionOperations tx;
    private final LocalBlobStore store;
    private final LocalBlobStore inlineImages;
    private final Clock clock;
    private final int shardSize;

    /**
     * @param store where dataset snapshots are written
     * @param inlineImages where images that arrive inline are written, as {@code {corpusId}/inline/{sha256}}: the first
     *        allowed image root, because the relabel workers and trainers read catalogued images only from there
     */
    public CatalogService(CatalogRepository repository, TransactionOperations tx, LocalBlobStore store,
            LocalBlobStore inlineImages, Clock clock, int shardSize) {
        this.repository = repository;
        this.tx = tx;
        this.store = store;
        this.inlineImages = inlineImages;
        this.clock = clock;
        this.shardSize = shardSize;
    }

    /**
     * Registers a batch: the corpus, its images (inline images are written under the first allowed image root
     * and catalogued by {@code file:} uri) and their alt-text. A batch seen before is skipped as a whole; an image already
     * catalogued keeps its first registration.
     */
    public Outcome ingest(CorpusIngestBatch batch) {
        Instant now = clock.instant();
        List<String> uris = new ArrayList<>(batch.items().size());
        for (CorpusIngestBatch.Item item : batch.items()) {
            uris.add(uriOf(batch.corpusId(), item.image()));
        }
        Outcome outcome = tx.execute(status -> {
            repository.insertCorpus(batch.corpusId(), now);
            if (!repository.insertBatch(batch.corpusId(), batch.batchId(), batch.items().size(), now)) {
                return Outcome.DUPLICATE;
            }
            for (int i = 0; i < batch.items().size(); i++) {
                CorpusIngestBatch.Item item = batch.items().get(i);
                repository.insertImage(batch.corpusId(), item.imageId(), uris.get(i), item.altText(), batch.batchId(), now);
            }
            return Outcome.ACCEPTED;
        });
        log.info("ingest batch {}/{} ({} images): {}", batch.corpusId(), batch.batchId(), batch.items().size(), outcome);
        return outcome;
    }

    /** Stores the captions (or the failure) of one image; replays insert nothing. */
    public Outcome recordRelabelResult(RelabelResult result) {
        Instant now = clock.instant();
        String captioner = result.captioner().toString();
        return tx.execute(status -> {
            if (!repository.imageExists(result.corpusId(), result.imageId())) {
                return Outcome.UNKNOWN_IMAGE;
            }
            boolean inserted = false;
            if (result.succeeded()) {
                for (Map.Entry<CaptionStyle, String> caption : result.captions().entrySet()) {
                    inserted |= repository.insertCaption(result.corpusId(), result.imageId(), caption.getKey(), captioner,
                            caption.getValue(), result.batchId(), now);
                }
                repository.deleteFailure(result.corpusId(), result.imageId(), captioner);
            } else {
                inserted = repository.insertFailure(result.corpusId(), result.imageId(), captioner,
                        result.error().code(), result.error().message(), now);
            }
            return inserted ? Outcome.ACCEPTED : Outcome.DUPLICATE;
        });
    }

    /**
     * One page of a corpus (in catalog order, after {@code afterImageId}) as a relabel job with
     * {@code captioner} and {@code styles} sees it: which images still need which styles. An image with a
     * caption by that version in every style is done; one with a recorded failure is pending (it lacks captions),
     * and when {@code onlyFailed} only those with a recorded failure are.
     */
    public RelabelPage relabelPage(String corpusId, ModelRef captioner, Set<CaptionStyle> styles,
            boolean onlyFailed, String afterImageId, int limit) {
        List<CatalogRepository.ImageRow> page = repository.images(corpusId, afterImageId, limit);
        if (page.isEmpty()) {
            return new RelabelPage(0, List.of(), null);
        }
        String first = page.get(0).imageId();
        String last = page.get(page.size() - 1).imageId();
        Map<String, Map<CaptionStyle, String>> captions = repository.captions(corpusId, captioner.toString(), first, last);
        Set<String> failed = repository.failureCodes(corpusId, captioner.toString(), first, last).keySet();
        List<RelabelPage.Pending> pending = new ArrayList<>();
        for (CatalogRepository.ImageRow image : page) {
            EnumSet<CaptionStyle> missing = EnumSet.copyOf(styles);
            missing.removeAll(captions.getOrDefault(image.imageId(), Map.of()).keySet());
            boolean hasFailure = failed.contains(image.imageId());
            if (!missing.isEmpty() && (hasFailure || !onlyFailed)) {
                pending.add(new RelabelPage.Pending(image.imageId(), image.uri(), missing, hasFailure));
            }
        }
        return new RelabelPage(page.size(), pending, last);
    }

    /** A page of {@link #relabelPage}: images seen, those still needing captions, where the next page starts. */
    public record RelabelPage(int images, List<Pending> pending, String lastImageId) {

        /** An image still to caption: the styles it lacks and whether a failure is recorded for it. */
        public record Pending(String imageId, String uri, Set<CaptionStyle> missingStyles, boolean failed) {
        }
    }

    /**
     * Of {@code imageIds} (contiguous in catalog order, as {@link #relabelPage} lists them), those that now
     * have a result by {@code captioner}: a caption in every one of {@code styles}, or a recorded failure.
     */
    public Set<String> resolved(String corpusId, ModelRef captioner, Set<CaptionStyle> styles, List<String> imageIds) {
        if (imageIds.isEmpty()) {
            return Set.of();
        }
        // In catalog order, the first and last id bound the chunk in the database's own collation.
        Set<String> resolved = repository.resolvedImageIds(corpusId, captioner.toString(), styles, imageIds.get(0),
                imageIds.get(imageIds.size() - 1));
        resolved.retainAll(new HashSet<>(imageIds));
        return resolved;
    }

    /** Forgets the recorded failures of these images by {@code captioner}, so that a retry's outcome is awaited. */
    public void forgetFailures(String corpusId, ModelRef captioner, List<String> imageIds) {
        tx.executeWithoutResult(status -> imageIds.forEach(
                imageId -> repository.deleteFailure(corpusId, imageId, captioner.toString())));
    }

    /** Relabel failures of one captioner version in a corpus, by error code. */
    public Map<String, Long> failureCodes(String corpusId, ModelRef captioner) {
        return repository.failureCodes(corpusId, captioner.toString());
    }

    /**
     * A page of the corpus's recorded relabel failures, of {@code captioner} or (null) of every captioner version.
     *
     * @throws CorpusNotFoundException when the corpus is not in the catalog
     */
    public RelabelFailurePage failures(String corpusId, ModelRef captioner, int page, int size) {
        if (!repository.corpusExists(corpusId)) {
            throw new CorpusNotFoundException(corpusId);
        }
        String name = captioner == null ? null : captioner.toString();
        return new RelabelFailurePage(corpusId, name, page, size, repository.failureCount(corpusId, name),
                repository.failures(corpusId, name, (long) page * size, size));
    }

    public List<CorpusSummary> corpora() {
        return repository.corpora();
    }

    public boolean corpusExists(String corpusId) {
        return repository.corpusExists(corpusId);
    }

    public CorpusDetails corpus(String corpusId) {
        CorpusSummary summary = repository.corpus(corpusId).orElseThrow(() -> new CorpusNotFoundException(corpusId));
        Map<String, Long> failures = repository.failureCounts(corpusId);
        Map<String, Map<String, Long>> reasons = new TreeMap<>();
        failures.keySet().forEach(captioner -> reasons.put(captioner, repository.failureCodes(corpusId, captioner)));
        return new CorpusDetails(summary.corpusId(), summary.createdAt(), summary.imageCount(),
                repository.batchCount(corpusId), repository.captionCounts(corpusId), failures, reasons,
                repository.snapshots(corpusId));
    }

    /**
     * Exports every image of a corpus with its alt-text and the captions written by {@code captioner} (none when
     * {@code captioner} is null: an alt-text-only snapshot, for pretraining) as
     * JSONL shards ({@code snapshots/{id}/part-0000.jsonl}, ...) and then {@code snapshot.json}, so that a
     * trainer never needs the database.
     */
    public SnapshotManifest exportSnapshot(String corpusId, ModelRef captioner) {
        if (!repository.corpusExists(corpusId)) {
            throw new CorpusNotFoundException(corpusId);
        }
        String snapshotId = "snap-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String prefix = "snapshots/" + snapshotId + "/";
        List<String> shards = new ArrayList<>();
        Map<CaptionStyle, Long> byStyle = new EnumMap<>(CaptionStyle.class);
        long images = 0;
        long captions = 0;
        ByteArrayOutputStream shard = new ByteArrayOutputStream();
        int linesInShard = 0;
        String after = null;
        while (true) {
            List<CatalogRepository.ImageRow> page = repository.images(corpusId, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            Map<String, Map<CaptionStyle, String>> pageCaptions = captioner == null ? Map.of()
                    : repository.captions(corpusId, captioner.toString(), page.get(0).imageId(),
                            page.get(page.size() - 1).imageId());
            for (CatalogRepository.ImageRow image : page) {
                Map<CaptionStyle, String> imageCaptions = pageCaptions.getOrDefault(image.imageId(), Map.of());
                byte[] line = Json.write(new SnapshotManifest.Record(image.imageId(), image.uri(), image.altText(),
                        imageCaptions));
                shard.writeBytes(line);
                shard.write('\n');
                linesInShard++;
                images++;
                captions += imageCaptions.size();
                imageCaptions.keySet().forEach(style -> byStyle.merge(style, 1L, Long::sum));
                if (linesInShard == shardSize) {
                    shards.add(writeShard(prefix, shards.size(), shard));
                    linesInShard = 0;
                }
            }
            after = page.get(page.size() - 1).imageId();
        }
        if (linesInShard > 0 || shards.isEmpty()) {
            shards.add(writeShard(prefix, shards.size(), shard));
        }
        SnapshotManifest manifest = new SnapshotManifest(SnapshotManifest.FORMAT, snapshotId, corpusId, captioner,
                images, captions, byStyle, shards, clock.instant());
        store.put(prefix + SnapshotManifest.FILE_NAME, Json.writePretty(manifest));
        repository.insertSnapshot(manifest);
        log.info("snapshot {} of corpus {} by {}: {} images, {} captions, {} shards", snapshotId, corpusId, captioner,
                images, captions, shards.size());
        return manifest;
    }

    private String writeShard(String prefix, int index, ByteArrayOutputStream shard) {
        String key = prefix + String.format("part-%04d.jsonl", index);
        store.put(key, shard.toByteArray());
        shard.reset();
        return key;
    }

    /** Inline bytes are written once to the store (content-addressed) and referenced by {@code file:} uri. */
    private String uriOf(String corpusId, ImageRef image) {
        if (image.uri() != null) {
            return image.uri();
        }
        byte[] bytes = image.inlineBytes();
        String key = corpusId + "/inline/" + sha256(bytes);
        if (!inlineImages.exists(key)) {
            inlineImages.put(key, bytes);
        }
        return inlineImages.resolve(key).toUri().toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
