package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV manifest of local image paths with a header row naming its columns. The header must name a path column
 * (and the text column, where the request names one), or the manifest is refused as a whole; a record whose
 * field count differs from the header's is an error of that record only.
 */
final class CsvManifestReader {

    private final ImageFiles files;

    CsvManifestReader(ImageFiles files) {
        this.files = files;
    }

    CorpusRead read(Path dir, Path manifest, ManifestRows.Columns columns) {
        ItemsBuilder out = new ItemsBuilder();
        ManifestRows rows = new ManifestRows(files, dir, columns, out);
        int line = 1;
        try (Reader reader = ManifestFiles.open(manifest)) {
            CsvRecords records = new CsvRecords(reader);
            CsvRecords.Record header = records.next();
            while (header != null && header.blank()) {
                header = records.next();
            }
            if (header == null || header.error() != null) {
                throw new CorpusReadException(CorpusReadException.Reason.NOT_A_CORPUS, manifest + " has no header row"
                        + (header == null ? "" : " (line " + header.line() + ": " + header.error() + ")"));
            }
            Map<String, Integer> index = index(header.fields());
            if (columns.paths().stream().noneMatch(index::containsKey)) {
                throw new CorpusReadException(CorpusReadException.Reason.NOT_A_CORPUS, "the header of " + manifest
                        + " names no image path column (one of " + String.join(", ", columns.paths()) + ")");
            }
            if (columns.textRequired() && !index.containsKey(columns.texts().get(0))) {
                throw new CorpusReadException(CorpusReadException.Reason.UNKNOWN_COLUMN, "the header of " + manifest
                        + " has no column '" + columns.texts().get(0) + "' (it has " + header.fields() + ")");
            }
            CsvRecords.Record record;
            while ((record = records.next()) != null) {
                line = record.line();
                if (record.blank()) {
                    continue;
                }
                if (record.error() != null) {
                    out.reject(null, record.line(), Reason.MALFORMED_LINE, record.error());
                } else if (record.fields().size() != header.fields().size()) {
                    out.reject(null, record.line(), Reason.MALFORMED_LINE, "the record has "
                            + record.fields().size() + " field(s); the header has " + header.fields().size());
                } else {
                    rows.take(record.line(), new CsvRow(index, record.fields()));
                }
            }
        } catch (IOException e) {
            throw ManifestFiles.unreadable(manifest, line, e);
        }
        return out.build(CorpusFormat.CSV, manifest);
    }

    /** Column name → position; header names are trimmed, and the first of two equal names wins. */
    private static Map<String, Integer> index(List<String> header) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).strip(), i);
        }
        return index;
    }

    private record CsvRow(Map<String, Integer> index, List<String> fields) implements ManifestRows.Row {

        @Override
        public boolean has(String column) {
            return index.containsKey(column);
        }

        @Override
        public String text(String column) {
            Integer at = index.get(column);
            return at == null ? null : fields.get(at);
        }
    }
}
