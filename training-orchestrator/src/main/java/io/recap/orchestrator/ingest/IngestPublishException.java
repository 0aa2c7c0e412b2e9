package io.recap.orchestrator.ingest;

/** The ingest batches could not all be published to Kafka in time; publishing again is safe. */
public class IngestPublishException extends RuntimeException {

    public IngestPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
