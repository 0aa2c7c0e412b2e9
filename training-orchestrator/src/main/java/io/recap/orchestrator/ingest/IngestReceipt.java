package io.recap.orchestrator.ingest;

import io.recap.orchestrator.ingest.format.ItemError;
import java.util.List;

/**
 * What an ingest request published. The catalog registers the batches asynchronously (a replayed batch
 * is skipped as a whole); {@code GET /corpora/{corpusId}} shows the result.
 *
 * @param corpusId the corpus
 * @param manifestDir the corpus directory read (its real path)
 * @param format the format it was read as (named or detected)
 * @param images images published
 * @param withoutAltText of those, images published with empty alt-text (e.g. no sidecar beside them)
 * @param batches {@code CorpusIngestBatch}es published
 * @param topic where they went
 * @param errorCount items left out, each for a reason
 * @param errors the first {@link #MAX_ERRORS} of them, in corpus order
 */
public record IngestReceipt(String corpusId, String manifestDir, String format, int images, int withoutAltText,
        int batches, String topic, int errorCount, List<ItemError> errors) {

    /** The most errors a receipt lists; {@code errorCount} counts them all. */
    public static final int MAX_ERRORS = 100;

    public IngestReceipt {
        errors = List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    }
}
