package io.recap.orchestrator.ingest;

/**
 * An ingest request that cannot be served: a bad corpus id ({@code INVALID_FIELD}), an unknown format
 * ({@code UNKNOWN_FORMAT}), a directory outside the allowed roots ({@code UNSAFE_PATH}), one that is not a corpus
 * of the format or holds no image ({@code NOT_A_CORPUS}), several manifests ({@code AMBIGUOUS_MANIFEST}), a text
 * column the manifest lacks ({@code UNKNOWN_COLUMN}), or no usable item: the items' one reason, else
 * {@code NO_USABLE_ITEMS}.
 */
public class InvalidIngestRequestException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidIngestRequestException(String field, String reason, String message) {
        super(message);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
