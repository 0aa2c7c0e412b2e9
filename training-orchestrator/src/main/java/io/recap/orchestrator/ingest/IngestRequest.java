package io.recap.orchestrator.ingest;

import io.recap.orchestrator.ingest.format.CorpusFormat;
import io.recap.service.web.InvalidFieldException;

/**
 * Body of {@code POST /corpora/{corpusId}/ingest}; the ingest CLI builds the same from its options.
 *
 * @param manifestDir the corpus directory: absolute, or relative to the first allowed root where it exists
 * @param format {@code recap} (also {@code shapes}), {@code sidecar}, {@code imagefolder}, {@code jsonl},
 *        {@code csv} or {@code webdataset}; absent to detect it from the directory
 * @param textColumn the manifest column that holds the alt-text (imagefolder, jsonl, csv); absent for the
 *        format's own ({@code text}, else {@code caption}, else {@code alt_text})
 */
public record IngestRequest(String manifestDir, String format, String textColumn) {

    /**
     * The format named, or null to detect it.
     *
     * @throws InvalidFieldException {@code UNKNOWN_FORMAT} for a name that is not a format
     */
    public CorpusFormat corpusFormat() {
        if (format == null || format.isBlank()) {
            return null;
        }
        try {
            return CorpusFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("format", e.getMessage(), "UNKNOWN_FORMAT");
        }
    }
}
