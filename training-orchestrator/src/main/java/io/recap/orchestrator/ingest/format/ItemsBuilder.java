package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects a reader's items and errors in order, refusing a second item with an id already taken. */
final class ItemsBuilder {

    private final List<CorpusItem> items = new ArrayList<>();
    private final List<ItemError> errors = new ArrayList<>();
    private final Set<String> ids = new HashSet<>();

    void add(String path, Integer line, CorpusItem item) {
        if (ids.add(item.imageId())) {
            items.add(item);
        } else {
            reject(path, line, Reason.DUPLICATE_ID, "image id '" + item.imageId() + "' is already taken by an earlier item");
        }
    }

    void reject(String path, Integer line, ItemRejectedException e) {
        reject(path, line, e.reason(), e.getMessage());
    }

    void reject(String path, Integer line, Reason reason, String detail) {
        errors.add(new ItemError(reason, path, line, detail));
    }

    CorpusRead build(CorpusFormat format, Path source) {
        return new CorpusRead(format, source, items, errors);
    }
}
