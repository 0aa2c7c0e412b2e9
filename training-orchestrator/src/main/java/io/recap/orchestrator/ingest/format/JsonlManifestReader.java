package io.recap.orchestrator.ingest.format;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A manifest of one JSON object a line naming an image and its text: a Hugging Face imagefolder's
 * {@code metadata.jsonl} ({@code file_name} + {@code text}) or a JSONL manifest of local paths. Image paths are
 * relative to the manifest's directory; a line that is not a JSON object is an error of that line only. A line's
 * other properties ({@code width}, {@code url}, a nested {@code exif}) are kept as the record's metadata, with
 * their JSON types.
 */
final class JsonlManifestReader {

    private final ImageFiles files;

    JsonlManifestReader(ImageFiles files) {
        this.files = files;
    }

    CorpusRead read(CorpusFormat format, Path dir, Path manifest, ManifestRows.Columns columns) {
        ItemsBuilder out = new ItemsBuilder();
        ManifestRows rows = new ManifestRows(files, dir, columns, out);
        ManifestFiles.lines(manifest, (number, line) -> {
            JsonNode node;
            try {
                node = Json.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
            } catch (InvalidJsonException e) {
                out.reject(null, number, Reason.MALFORMED_LINE, e.reason());
                return;
            }
            if (!node.isObject()) {
                out.reject(null, number, Reason.MALFORMED_LINE, "a manifest line must be a JSON object, not "
                        + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                return;
            }
            rows.take(number, new JsonRow(node));
        });
        return out.build(format, manifest);
    }

    private record JsonRow(JsonNode node) implements ManifestRows.Row {

        @Override
        public boolean has(String column) {
            return node.has(column);
        }

        @Override
        public String text(String column) {
            JsonNode value = node.get(column);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isString()) {
                throw new ItemRejectedException(Reason.MALFORMED_LINE, "'" + column + "' must be a string, not "
                        + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            return value.asString();
        }

        @Override
        public Map<String, Object> metadata(Set<String> taken) {
            return Metadata.of(node, taken);
        }
    }
}
