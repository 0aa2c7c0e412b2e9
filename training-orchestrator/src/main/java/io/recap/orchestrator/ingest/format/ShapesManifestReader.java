package io.recap.orchestrator.ingest.format;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.Require;
import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import io.recap.orchestrator.ingest.format.ItemError.Reason;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A ShapesWorld corpus as {@code shapes-world generate} writes it: {@code manifest.jsonl}, one
 * {@link CorpusEntry} a line with its own image id, alt-text and the human SHORT and LONG captions.
 */
final class ShapesManifestReader {

    static final String MANIFEST = CorpusGenerator.MANIFEST;

    private final ImageFiles files;

    ShapesManifestReader(ImageFiles files) {
        this.files = files;
    }

    /**
     * True when {@code dir/manifest.jsonl} exists and its first non-blank line is a ShapesWorld entry (it has a
     * {@code file} and a {@code scene}); a JSONL manifest of another kind may have the same name.
     */
    static boolean looksLikeShapes(Path dir) {
        Path manifest = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try (BufferedReader reader = new BufferedReader(ManifestFiles.open(manifest))) {
            String line;
            while ((line = reader.readLine()) != null && line.isBlank()) {
                // skip to the first entry
            }
            if (line == null) {
                return false;
            }
            JsonNode first = Json.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
            return first.isObject() && first.has("file") && first.has("scene");
        } catch (IOException | InvalidJsonException e) {
            return false;
        }
    }

    CorpusRead read(Path dir) {
        Path manifest = ManifestFiles.manifest(files, dir, MANIFEST);
        ItemsBuilder out = new ItemsBuilder();
        ManifestFiles.lines(manifest, (number, line) -> {
            CorpusEntry entry;
            try {
                entry = Json.read(line.getBytes(StandardCharsets.UTF_8), CorpusEntry.class);
            } catch (InvalidJsonException e) {
                out.reject(null, number, Reason.MALFORMED_LINE, e.reason());
                return;
            }
            String file = entry.file();
            try {
                if (file == null || file.isBlank()) {
                    throw new ItemRejectedException(Reason.MISSING_FIELD, "the entry has no 'file'");
                }
                if (entry.id() == null || entry.id().isBlank()) {
                    throw new ItemRejectedException(Reason.MISSING_FIELD, "the entry has no 'id'");
                }
                try {
                    Require.label(entry.id(), "id");
                } catch (IllegalArgumentException e) {
                    throw new ItemRejectedException(Reason.MALFORMED_LINE, e.getMessage());
                }
                Path image = files.image(dir, file);
                out.add(file, number, new CorpusItem(entry.id(), image, entry.altText(), captions(entry)));
            } catch (ItemRejectedException e) {
                out.reject(file, number, e);
            }
        });
        return out.build(CorpusFormat.SHAPES, manifest);
    }

    private static Map<CaptionStyle, String> captions(CorpusEntry entry) {
        Map<CaptionStyle, String> captions = new EnumMap<>(CaptionStyle.class);
        if (entry.captions() != null) {
            putIfPresent(captions, CaptionStyle.SHORT, entry.captions().shortCaption());
            putIfPresent(captions, CaptionStyle.LONG, entry.captions().longCaption());
        }
        return captions;
    }

    private static void putIfPresent(Map<CaptionStyle, String> captions, CaptionStyle style, String text) {
        if (text != null && !text.isBlank()) {
            captions.put(style, text);
        }
    }
}
