package io.recap.orchestrator.ingest.format;

import io.recap.core.corpus.CorpusRecord;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the rows of a JSONL or CSV manifest into records; what the two formats share. A row's columns other than
 * the image path and the alt-text it was read from are the record's metadata; its split is
 * {@value CorpusRecord#DEFAULT_SPLIT}, since these formats have none.
 */
final class ManifestRows {

    /** One manifest line (a JSON object) or CSV record, by column name. */
    interface Row {
        boolean has(String column);

        /**
         * The column's text; null where the row has no such column or a JSON null.
         *
         * @throws ItemRejectedException {@code MALFORMED_LINE} for a JSON value that is not a string
         */
        String text(String column);

        /** The row's columns other than {@code taken}, by name, as JSON values; none with a blank name. */
        Map<String, Object> metadata(Set<String> taken);
    }

    /**
     * Which columns name a row's image and its text: the first of {@code paths} that is set, the first of
     * {@code texts} that the row has.
     *
     * @param textRequired true when the request named the text column: a row without it is then an error rather
     *        than an image without alt-text, since a misspelt column would otherwise empty the whole corpus quietly
     */
    record Columns(List<String> paths, List<String> texts, boolean textRequired) {

        static Columns of(List<String> paths, List<String> defaultTexts, String textColumn) {
            return textColumn == null ? new Columns(paths, defaultTexts, false)
                    : new Columns(paths, List.of(textColumn), true);
        }
    }

    private final ImageFiles files;
    private final Path dir;
    private final Columns columns;
    private final ItemsBuilder out;

    ManifestRows(ImageFiles files, Path dir, Columns columns, ItemsBuilder out) {
        this.files = files;
        this.dir = dir;
        this.columns = columns;
        this.out = out;
    }

    void take(int line, Row row) {
        String path = null;
        try {
            String pathColumn = null;
            for (String column : columns.paths()) {
                String value = row.text(column);
                if (value != null && !value.isBlank()) {
                    path = value.strip();
                    pathColumn = column;
                    break;
                }
            }
            if (path == null) {
                throw new ItemRejectedException(Reason.MISSING_FIELD, "no image path: none of "
                        + String.join(", ", columns.paths()) + " is set");
            }
            String text = null;
            String textColumn = null;
            for (String column : columns.texts()) {
                if (row.has(column)) {
                    text = row.text(column);
                    textColumn = column;
                    break;
                }
            }
            if (text == null && columns.textRequired()) {
                throw new ItemRejectedException(Reason.MISSING_FIELD, "no '" + columns.texts().get(0) + "' column");
            }
            Path image = files.image(dir, path);
            Set<String> taken = textColumn == null ? Set.of(pathColumn) : Set.of(pathColumn, textColumn);
            out.add(path, line, new CorpusRecord(ImageIds.fromPath(path), image.toUri().toString(), text,
                    CorpusRecord.DEFAULT_SPLIT, null, row.metadata(taken)));
        } catch (ItemRejectedException e) {
            out.reject(path, line, e);
        }
    }
}
