package io.recap.orchestrator.catalog;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MalformedMessageException;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code recap.corpus.ingest} and {@code recap.relabel.results} into the catalog. A malformed
 * message is logged and counted ({@code recap.orchestrator.messages{outcome=malformed}}) and skipped — it
 * never stops the listener; database errors and results for images not catalogued yet go to the container's
 * error handler (retried, then logged, counted and skipped).
 */
public class CatalogListeners {

    private static final Logger log = LoggerFactory.getLogger(CatalogListeners.class);

    private final CatalogService catalog;
    private final MessageCodec codec;
    private final OrchestratorMetrics metrics;

    public CatalogListeners(CatalogService catalog, MessageCodec codec, OrchestratorMetrics metrics) {
        this.catalog = catalog;
        this.codec = codec;
        this.metrics = metrics;
    }

    @KafkaListener(id = "recap-orchestrator-ingest", topics = Topics.CORPUS_INGEST)
    public void onIngest(ConsumerRecord<String, byte[]> record) {
        CorpusIngestBatch batch;
        try {
            batch = codec.decode(record.value(), CorpusIngestBatch.class);
        } catch (MalformedMessageException e) {
            malformed(record, e);
            return;
        }
        try {
            metrics.message(Topics.CORPUS_INGEST, catalog.ingest(batch).name().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            log.warn("rejected ingest batch {}/{}: {}", batch.corpusId(), batch.batchId(), e.getMessage());
            metrics.message(Topics.CORPUS_INGEST, "rejected");
        }
    }

    @KafkaListener(id = "recap-orchestrator-relabel-results", topics = Topics.RELABEL_RESULTS)
    public void onRelabelResult(ConsumerRecord<String, byte[]> record) {
        RelabelResult result;
        try {
            result = codec.decode(record.value(), RelabelResult.class);
        } catch (MalformedMessageException e) {
            malformed(record, e);
            return;
        }
        CatalogService.Outcome outcome = catalog.recordRelabelResult(result);
        if (outcome == CatalogService.Outcome.UNKNOWN_IMAGE) {
            // Results may overtake the ingest batch of their image (two topics, no order between them):
            // the container's error handler tries again a little later, then skips and counts it.
            throw new UnknownImageException(result.corpusId(), result.imageId());
        }
        metrics.message(Topics.RELABEL_RESULTS, outcome.name().toLowerCase(Locale.ROOT));
    }

    /** A relabel result for an image the catalog does not (yet) know. */
    public static class UnknownImageException extends RuntimeException {
        public UnknownImageException(String corpusId, String imageId) {
            super("relabel result for unknown image " + corpusId + "/" + imageId);
        }
    }

    private void malformed(ConsumerRecord<String, byte[]> record, MalformedMessageException e) {
        log.warn("malformed message on {} (partition {}, offset {}, key {}) skipped: {}", record.topic(),
                record.partition(), record.offset(), record.key(), e.reason());
        metrics.message(record.topic(), "malformed");
    }
}
