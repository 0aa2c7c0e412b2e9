package io.recap.orchestrator.ingest;

import io.recap.core.domain.Require;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.Topics;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.UnsafePathException;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /corpora/{corpusId}/ingest}: reads a ShapesWorld corpus directory that lies under the allowed
 * roots and publishes its images as {@link CorpusIngestBatch}es (key corpusId) to {@code recap.corpus.ingest},
 * where the catalog's own listener registers them, idempotently. Nothing outside the roots is read: the
 * directory and every image path of its manifest are checked (symlinks followed) before use.
 */
public class CorpusIngestService {

    private static final Logger log = LoggerFactory.getLogger(CorpusIngestService.class);

    private final AllowedRoots roots;
    private final EventPublisher events;
    private final int batchSize;
    private final Duration timeout;

    public CorpusIngestService(AllowedRoots roots, EventPublisher events, int batchSize, Duration timeout) {
        this.roots = roots;
        this.events = events;
        this.batchSize = batchSize;
        this.timeout = timeout;
    }

    public AllowedRoots roots() {
        return roots;
    }

    /**
     * Publishes the manifest's images and waits until the broker has acknowledged every batch.
     *
     * @param manifestDir absolute, or relative to the first allowed root where it exists
     * @throws InvalidIngestRequestException for a bad corpus id, a directory outside the roots, or no manifest
     * @throws IngestPublishException when the broker did not take every batch in time (repeating is safe)
     */
    public IngestReceipt ingest(String corpusId, String manifestDir) {
        try {
            Require.safeId(corpusId, "corpusId");
        } catch (IllegalArgumentException e) {
            throw new InvalidIngestRequestException("corpusId", "INVALID_FIELD", e.getMessage());
        }
        if (manifestDir == null || manifestDir.isBlank()) {
            throw new InvalidIngestRequestException("manifestDir", "INVALID_FIELD", "manifestDir is required");
        }
        Path dir;
        try {
            dir = roots.resolve(manifestDir.trim());
        } catch (UnsafePathException e) {
            throw new InvalidIngestRequestException("manifestDir", "UNSAFE_PATH", "manifestDir is refused: "
                    + e.getMessage());
        }
        if (!Files.isRegularFile(dir.resolve(CorpusGenerator.MANIFEST))) {
            throw new InvalidIngestRequestException("manifestDir", "NOT_A_CORPUS", "manifestDir '" + manifestDir
                    + "' is not a corpus directory (no " + CorpusGenerator.MANIFEST + ")");
        }
        CorpusManifest manifest;
        try {
            manifest = CorpusManifest.read(dir);
        } catch (IOException | RuntimeException e) {
            throw new InvalidIngestRequestException("manifestDir", "NOT_A_CORPUS", "cannot read the manifest in '"
                    + manifestDir + "': " + e.getMessage());
        }
        if (manifest.entries().isEmpty()) {
            throw new InvalidIngestRequestException("manifestDir", "NOT_A_CORPUS", "the manifest in '" + manifestDir
                    + "' lists no images");
        }
        List<CorpusIngestBatch> batches;
        try {
            batches = ManifestBatches.of(corpusId, manifest, batchSize, image -> roots.resolve(image.toString()));
        } catch (UnsafePathException e) {
            throw new InvalidIngestRequestException("manifestDir", "UNSAFE_PATH",
                    "the manifest references an image outside the allowed roots: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidIngestRequestException("manifestDir", "NOT_A_CORPUS", "bad manifest entry: "
                    + e.getMessage());
        }
        publish(batches);
        int images = batches.stream().mapToInt(b -> b.items().size()).sum();
        log.info("ingest of corpus {} from {}: {} images in {} batches published", corpusId, dir, images,
                batches.size());
        return new IngestReceipt(corpusId, dir.toString(), images, batches.size(), Topics.CORPUS_INGEST);
    }

    private void publish(List<CorpusIngestBatch> batches) {
        List<CompletableFuture<?>> sends = new ArrayList<>(batches.size());
        for (CorpusIngestBatch batch : batches) {
            sends.add(events.publish(Topics.CORPUS_INGEST, batch));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestPublishException("interrupted while publishing ingest batches", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IngestPublishException("could not publish the ingest batches to " + Topics.CORPUS_INGEST
                    + " within " + timeout + ": " + cause, cause);
        }
    }
}
