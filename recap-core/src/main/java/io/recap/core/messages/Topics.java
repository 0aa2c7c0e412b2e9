package io.recap.core.messages;

/** Kafka topic names (DESIGN section 4). One place, so producers and consumers cannot drift apart. */
public final class Topics {

    /** {@link CorpusIngestBatch}, keyed by corpusId. */
    public static final String CORPUS_INGEST = "recap.corpus.ingest";
    /** {@link RelabelRequest}, keyed by corpusId/batchId. */
    public static final String RELABEL_REQUESTS = "recap.relabel.requests";
    /** {@link RelabelResult}, keyed by imageId. */
    public static final String RELABEL_RESULTS = "recap.relabel.results";
    /** Relabel requests that failed as a whole, same key and value as the input, reason in headers. */
    public static final String RELABEL_DLQ = "recap.relabel.dlq";
    /** {@link TrainingEvent}, keyed by jobId. */
    public static final String TRAINING_EVENTS = "recap.training.events";
    /** {@link ModelEvent}, keyed by model kind. */
    public static final String MODEL_EVENTS = "recap.models.events";

    /**
     * Dead letters of the orchestrator's listeners: a record that can never be processed (it does not decode,
     * breaks its schema, or is refused as it is), same key and value as on its topic, reason in headers.
     */
    public static final String CORPUS_INGEST_DLQ = CORPUS_INGEST + ".dlq";
    public static final String RELABEL_RESULTS_DLQ = RELABEL_RESULTS + ".dlq";
    public static final String TRAINING_EVENTS_DLQ = TRAINING_EVENTS + ".dlq";

    /** Where the orchestrator dead-letters a record of {@code topic}: the topic's name + {@code .dlq}. */
    public static String deadLetterOf(String topic) {
        return topic + ".dlq";
    }

    private Topics() {
    }
}
