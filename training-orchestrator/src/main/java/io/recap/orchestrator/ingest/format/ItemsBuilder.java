package io.recap.orchestrator.ingest.format;

import io.recap.core.corpus.CorpusRecord;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects a reader's records and errors in order, refusing a second record with an id already taken. */
final class ItemsBuilder {

    private final List<CorpusRecord> records = new ArrayList<>();
    private final List<ItemError> errors = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    /** @param record a record whose image the reader has resolved and checked (see {@link CorpusRead#records}) */
    void add(String path, Integer line, CorpusRecord record) {
        if (ids.add(record.id())) {
            records.add(record);
        } else {
            reject(path, line, Reason.DUPLICATE_ID, "image id '" + record.id() + "' is already taken by an earlier item");
        }
    }

    void reject(String path, Integer line, ItemRejectedException e) {
        reject(path, line, e.reason(), e.getMessage());
    }

    void reject(String path, Integer line, Reason reason, String detail) {
        errors.add(new ItemError(reason, path, line, detail));
    }

    CorpusRead build(CorpusFormat format, Path source) {
        return new CorpusRead(format, source, records, errors);
    }
}
