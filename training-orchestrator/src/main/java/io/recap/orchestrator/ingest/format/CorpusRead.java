package io.recap.orchestrator.ingest.format;

import io.recap.core.corpus.CorpusRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * What a reader made of a corpus directory: its usable images as neutral {@link CorpusRecord}s, whatever the
 * format, and the items it left out.
 *
 * @param format the format read (detected or named)
 * @param source the manifest file read, or the directory for a format without one
 * @param records the usable images, in a stable order (manifest order; sorted paths for a folder). Each record's
 *        {@code image} is resolved: a {@code file:} URI of the real path of an existing PNG, JPEG or WebP file
 *        under the allowed roots, or a {@code tar:} URI of a member of a tar shard there, never a relative path
 * @param errors the items left out, in the same order
 */
public record CorpusRead(CorpusFormat format, Path source, List<CorpusRecord> records, List<ItemError> errors) {

    public CorpusRead {
        records = List.copyOf(records);
        errors = List.copyOf(errors);
    }

    /** Usable images whose alt-text is empty (many web images have none). */
    public int withoutAltText() {
        return (int) records.stream().filter(record -> record.altText().isBlank()).count();
    }
}
