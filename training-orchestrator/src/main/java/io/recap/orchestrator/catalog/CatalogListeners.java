package io.recap.orchestrator.catalog;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.events.UnprocessableRecordException;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code recap.corpus.ingest} and {@code recap.relabel.results} into the catalog. A record that can
 * never be applied (malformed, or an ingest batch the catalog refuses) is thrown to the container's error
 * handler, which dead-letters it to {@code <topic>.dlq} with the reason and counts it; it never stops the
 * listener. Database errors are retried there until they go through, and results for images not catalogued yet a
 * few times before they are dead-lettered too.
 */
public class CatalogListeners {

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
        CorpusIngestBatch batch = codec.decode(record.value(), CorpusIngestBatch.class);
        CatalogService.Outcome outcome;
        try {
            outcome = catalog.ingest(batch);
        } catch (IllegalArgumentException e) {
            // The batch itself is refused (e.g. an inline image that cannot be stored as named): trying it again
            // would be refused again.
            throw new UnprocessableRecordException("rejected",
                    "ingest batch " + batch.corpusId() + "/" + batch.batchId() + " refused: " + e.getMessage(), e);
        }
        metrics.message(Topics.CORPUS_INGEST, outcome.name().toLowerCase(Locale.ROOT));
    }

    @KafkaListener(id = "recap-orchestrator-relabel-results", topics = Topics.RELABEL_RESULTS)
    public void onRelabelResult(ConsumerRecord<String, byte[]> record) {
        RelabelResult result = codec.decode(record.value(), RelabelResult.class);
        CatalogService.Outcome outcome = catalog.recordRelabelResult(result);
        if (outcome == CatalogService.Outcome.UNKNOWN_IMAGE) {
            // Results may overtake the ingest batch of their image (two topics, no order between them):
            // the container's error handler tries again a little later, then dead-letters and counts it.
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
}
