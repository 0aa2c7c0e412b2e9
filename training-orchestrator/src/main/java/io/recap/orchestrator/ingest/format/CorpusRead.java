package io.recap.orchestrator.ingest.format;

import java.nio.file.Path;
import java.util.List;

/**
 * What a reader made of a corpus directory.
 *
 * @param format the format read (detected or named)
 * @param source the manifest file read, or the directory for a format without one
 * @param items the usable items, in a stable order (manifest order; sorted paths for a folder)
 * @param errors the items left out, in the same order
 */
public record CorpusRead(CorpusFormat format, Path source, List<CorpusItem> items, List<ItemError> errors) {

    public CorpusRead {
        items = List.copyOf(items);
        errors = List.copyOf(errors);
    }

    /** Usable items whose alt-text is empty (many web images have none). */
    public int withoutAltText() {
        return (int) items.stream().filter(item -> !item.hasAltText()).count();
    }
}
