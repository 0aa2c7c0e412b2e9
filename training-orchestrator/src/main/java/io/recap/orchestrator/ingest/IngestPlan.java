package io.recap.orchestrator.ingest;

import io.recap.core.messages.CorpusIngestBatch;
import io.recap.orchestrator.ingest.format.CorpusFormat;
import io.recap.orchestrator.ingest.format.CorpusRead;
import io.recap.orchestrator.ingest.format.CorpusReadException;
import io.recap.orchestrator.ingest.format.CorpusReaders;
import io.recap.orchestrator.ingest.format.ItemError;
import io.recap.service.web.InvalidFieldException;
import java.nio.file.Path;
import java.util.List;

/**
 * A corpus read and cut into batches, before anything is published: the part of an ingest that
 * {@code POST /corpora/{corpusId}/ingest} and the {@link IngestCli} share, so both refuse the same corpora
 * the same way and publish the same batches.
 */
public record IngestPlan(String corpusId, Path dir, CorpusRead read, List<CorpusIngestBatch> batches) {

    /**
     * @param dir the corpus directory, a real path under the readers' roots
     * @throws InvalidFieldException when the corpus cannot be read as asked, or has no usable item
     */
    public static IngestPlan prepare(CorpusReaders readers, String corpusId, Path dir, CorpusFormat format,
            String textColumn, int batchSize) {
        CorpusRead read;
        try {
            read = readers.read(dir, format, textColumn);
        } catch (CorpusReadException e) {
            String field = e.reason() == CorpusReadException.Reason.UNKNOWN_COLUMN ? "textColumn" : "manifestDir";
            throw new InvalidFieldException(field, e.getMessage(), e.reason().name());
        }
        if (read.records().isEmpty()) {
            throw nothingUsable(dir, read);
        }
        return new IngestPlan(corpusId, dir, read, ManifestBatches.of(corpusId, read.records(), batchSize));
    }

    public IngestReceipt receipt(String topic) {
        return new IngestReceipt(corpusId, dir.toString(), read.format().id(), read.records().size(),
                read.withoutAltText(), batches.size(), topic, read.errors().size(), read.errors());
    }

    /**
     * No item to publish. When every item was refused for one reason, that reason is the request's (a manifest
     * whose only entry leads out of the roots is {@code UNSAFE_PATH}); mixed reasons are {@code NO_USABLE_ITEMS}.
     */
    private static InvalidFieldException nothingUsable(Path dir, CorpusRead read) {
        List<ItemError> errors = read.errors();
        if (errors.isEmpty()) {
            return new InvalidFieldException("manifestDir", "'" + dir + "' read as "
                    + read.format().id() + " holds no images", "NOT_A_CORPUS");
        }
        boolean oneReason = errors.stream().map(ItemError::reason).distinct().count() == 1;
        ItemError first = errors.get(0);
        String reason = oneReason ? first.reason().name() : "NO_USABLE_ITEMS";
        return new InvalidFieldException("manifestDir",
                "none of the " + errors.size() + " items of '" + dir + "' (read as " + read.format().id()
                        + ") is usable; the first: " + first.reason() + " " + (first.path() == null ? "" : first.path())
                        + (first.line() == null ? "" : " (line " + first.line() + ")") + ": " + first.detail(), reason);
    }
}
