package io.recap.orchestrator.ingest;

import io.recap.core.domain.Require;
import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.Topics;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.UnsafePathException;
import io.recap.orchestrator.events.EventPublisher;
import io.recap.orchestrator.ingest.format.CorpusFormat;
import io.recap.orchestrator.ingest.format.CorpusReaders;
import io.recap.service.web.InvalidFieldException;
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
 * {@code POST /corpora/{corpusId}/ingest}: reads a corpus directory that lies under the allowed roots, in any
 * {@link CorpusFormat} (named or detected), and publishes its usable images
 * as {@link CorpusIngestBatch}es (key corpusId) to {@code recap.corpus.ingest}, where the catalog's own listener
 * registers them, idempotently. Items that cannot be used are left out and listed in the receipt. Nothing
 * outside the roots is read: the directory, its manifest and every image are checked (symlinks followed).
 */
public class CorpusIngestService {

    private static final Logger log = LoggerFactory.getLogger(CorpusIngestService.class);

    private final AllowedRoots roots;
    private final CorpusReaders readers;
    private final EventPublisher events;
    private final int batchSize;
    private final Duration timeout;

    public CorpusIngestService(AllowedRoots roots, EventPublisher events, int batchSize, Duration timeout) {
        this.roots = roots;
        this.readers = new CorpusReaders(roots);
        this.events = events;
        this.batchSize = batchSize;
        this.timeout = timeout;
    }

    public AllowedRoots roots() {
        return roots;
    }

    /**
     * Publishes the corpus's usable images and waits until the broker has acknowledged every batch.
     *
     * @throws InvalidFieldException for a bad corpus id, an unknown format, a directory outside the roots,
     *         a corpus that cannot be read in its format, or one without a single usable image
     * @throws IngestPublishException when the broker did not take every batch in time (repeating is safe)
     */
    public IngestReceipt ingest(String corpusId, IngestRequest request) {
        try {
            Require.safeId(corpusId, "corpusId");
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("corpusId", e.getMessage());
        }
        String manifestDir = request == null ? null : request.manifestDir();
        if (manifestDir == null || manifestDir.isBlank()) {
            throw new InvalidFieldException("manifestDir", "manifestDir is required");
        }
        CorpusFormat format = request.corpusFormat();
        Path dir;
        try {
            dir = roots.resolve(manifestDir.trim());
        } catch (UnsafePathException e) {
            throw new InvalidFieldException("manifestDir", "manifestDir is refused: "
                    + e.getMessage(), "UNSAFE_PATH");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidFieldException("manifestDir", "manifestDir '" + manifestDir
                    + "' is not a directory", "NOT_A_CORPUS");
        }
        IngestPlan plan = IngestPlan.prepare(readers, corpusId, dir, format, request.textColumn(), batchSize);
        publish(plan.batches());
        IngestReceipt receipt = plan.receipt(Topics.CORPUS_INGEST);
        log.info("ingest of corpus {} from {} ({}): {} images ({} without alt-text) in {} batches published, {} left out",
                corpusId, dir, receipt.format(), receipt.images(), receipt.withoutAltText(), receipt.batches(),
                receipt.errorCount());
        return receipt;
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
