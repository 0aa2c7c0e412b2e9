package io.recap.orchestrator.ingest.format;

/** The corpus as a whole cannot be read in the format asked for; no item of it is taken. */
public class CorpusReadException extends RuntimeException {

    public enum Reason {
        /** No manifest of the format, a manifest that cannot be opened or decoded, a CSV header without a path column. */
        NOT_A_CORPUS,
        /** The manifest itself is a symlink that leads out of the allowed roots. */
        UNSAFE_PATH,
        /** Several manifests could be meant (two {@code *.jsonl}, a {@code *.jsonl} and a {@code *.csv}). */
        AMBIGUOUS_MANIFEST,
        /** The text column the request named is not in the CSV header. */
        UNKNOWN_COLUMN
    }

    private final Reason reason;

    public CorpusReadException(Reason reason, String message) {
        this(reason, message, null);
    }

    public CorpusReadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
