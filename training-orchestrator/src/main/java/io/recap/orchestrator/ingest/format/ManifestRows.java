package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Turns the rows of a JSONL or CSV manifest into items; what the two formats share. */
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
            for (String column : columns.paths()) {
                String value = row.text(column);
                if (value != null && !value.isBlank()) {
                    path = value.strip();
                    break;
                }
            }
            if (path == null) {
                throw new ItemRejectedException(Reason.MISSING_FIELD, "no image path: none of "
                        + String.join(", ", columns.paths()) + " is set");
            }
            String text = null;
            for (String column : columns.texts()) {
                if (row.has(column)) {
                    text = row.text(column);
                    break;
                }
            }
            if (text == null && columns.textRequired()) {
                throw new ItemRejectedException(Reason.MISSING_FIELD, "no '" + columns.texts().get(0) + "' column");
            }
            Path image = files.image(dir, path);
            out.add(path, line, new CorpusItem(ImageIds.fromPath(path), image, text, Map.of()));
        } catch (ItemRejectedException e) {
            out.reject(path, line, e);
        }
    }
}
