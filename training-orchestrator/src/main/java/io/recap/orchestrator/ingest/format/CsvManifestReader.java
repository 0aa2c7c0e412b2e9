package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV manifest of local image paths with a header row naming its columns. The header must name a path column
 * (and the text column, where the request names one), or the manifest is refused as a whole; a record whose
 * field count differs from the header's is an error of that record only. A record's other fields are kept as its
 * metadata, as strings (CSV has no other type), by their header names.
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
            List<String> names = header.fields().stream().map(String::strip).toList();
            Map<String, Integer> index = index(names);
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
                    rows.take(record.line(), new CsvRow(names, index, record.fields()));
                }
            }
        } catch (IOException e) {
            throw ManifestFiles.unreadable(manifest, line, e);
        }
        return out.build(CorpusFormat.CSV, manifest);
    }

    /** Column name → position; the first of two equal names wins. */
    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
        return index;
    }

    /** @param names the header's column names, trimmed */
    private record CsvRow(List<String> names, Map<String, Integer> index, List<String> fields)
            implements ManifestRows.Row {

        @Override
        public boolean has(String column) {
            return index.containsKey(column);
        }

        @Override
        public String text(String column) {
            Integer at = index.get(column);
            return at == null ? null : fields.get(at);
        }

        /** In header order; a column that repeats a name is passed over, as {@link #text} passes it over. */
        @Override
        public Map<String, Object> metadata(Set<String> taken) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!name.isBlank() && !taken.contains(name) && index.get(name) == i) {
                    metadata.put(name, fields.get(i));
                }
            }
            return metadata;
        }
    }
}
