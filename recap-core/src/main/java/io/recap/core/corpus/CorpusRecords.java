package io.recap.core.corpus;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The neutral corpus manifest: a UTF-8 file {@value #FILE_NAME} of one {@link CorpusRecord} a line, as JSON
 * ({@code docs/schemas/corpus-record.v1.schema.json}). A manifest is read line by line, never held whole, and a
 * line that is not a record is reported with its number and the rest is read on: a corpus of a million images
 * must not be lost to one bad line. Blank lines are skipped, a leading byte-order mark too; properties a record
 * does not know are ignored, so that newer producers may add some. Ids should not repeat; a consumer that keys
 * on them (the orchestrator's ingest) reports a repeat as its own error.
 */
public final class CorpusRecords {

    /** The manifest's name in its corpus directory; image paths in it are relative to that directory. */
    public static final String FILE_NAME = "corpus.jsonl";

    private CorpusRecords() {
    }

    /** Why a line is not a record. */
    public enum Problem {
        /** Not JSON, or JSON that is not an object. */
        MALFORMED_LINE,
        /** An object without an {@code id} or without an {@code image} (absent, null or blank). */
        MISSING_FIELD,
        /** A field of the wrong type, or a value {@link CorpusRecord} refuses (an ALT caption, an http: image). */
        INVALID_FIELD
    }

    /**
     * A line of a manifest that is not a record.
     *
     * @param line its 1-based number
     * @param problem what kind of fault
     * @param id the line's {@code id} where it has a string one, else null: for people looking for the entry
     * @param image the line's {@code image} where it has a string one, else null
     * @param detail what exactly is wrong, for a person
     */
    public record LineError(int line, Problem problem, String id, String image, String detail) {
    }

    /** Receives the records of a manifest in file order, with their 1-based line numbers. */
    @FunctionalInterface
    public interface RecordHandler {
        void record(int line, CorpusRecord record);
    }

    /**
     * Streams the manifest: each record to {@code records}, each line that is not one to {@code errors}, in file
     * order; neither callback is called for blank lines.
     *
     * @throws IOException when the file cannot be opened or read, or is not UTF-8 (a manifest in another encoding
     *         is wrong on every line that is not ASCII, so it is refused as a whole); the message names the line
     */
    public static void read(Path file, RecordHandler records, Consumer<LineError> errors) throws IOException {
        // Lines are split as bytes and each decoded on its own, so that a manifest that is not UTF-8 is refused
        // naming the very line (a decoding reader reads ahead and would blame an earlier one).
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        int number = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        pending.write(buffer, start, i - start);
                        number++;
                        line(number, decode(utf8, pending, number), records, errors);
                        pending.reset();
                        start = i + 1;
                    }
                }
                pending.write(buffer, start, n - start);
            }
            if (pending.size() > 0) {
                number++;
                line(number, decode(utf8, pending, number), records, errors);
            }
        } catch (CharacterCodingException e) {
            throw new IOException("cannot read " + file + " (at line " + number + "): it is not UTF-8", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + " (at line " + (number + 1) + "): " + e, e);
        }
    }

    /** Every record of a small manifest, in file order; lines that are not records go to {@code errors}. */
    public static List<CorpusRecord> readAll(Path file, Consumer<LineError> errors) throws IOException {
        List<CorpusRecord> all = new ArrayList<>();
        read(file, (line, record) -> all.add(record), errors);
        return all;
    }

    /** One record as its manifest line: compact JSON, without the line break. */
    public static String line(CorpusRecord record) {
        return new String(Json.write(record), StandardCharsets.UTF_8);
    }

    /**
     * A writer of a new manifest at {@code file} (replacing any there; parent folders created). Close it to
     * flush; a manifest is complete only once its writer is closed.
     */
    public static Writer writer(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new Writer(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    /** Writes records one a line, in the order given. Not thread-safe: encode in parallel with {@link #line}. */
    public static final class Writer implements Closeable {

        private final OutputStream out;
        private long count;

        private Writer(OutputStream out) {
            this.out = out;
        }

        public void write(CorpusRecord record) throws IOException {
            // Jackson escapes every control character in strings, so a record never spans two lines.
            out.write(Json.write(record));
            out.write('\n');
            count++;
        }

        /** Records written so far. */
        public long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    private static void line(int number, String line, RecordHandler records, Consumer<LineError> errors) {
        if (line.isBlank()) {
            return;
        }
        JsonNode node;
        try {
            node = Json.read(line.getBytes(StandardCharsets.UTF_8), JsonNode.class);
        } catch (InvalidJsonException e) {
            errors.accept(new LineError(number, Problem.MALFORMED_LINE, null, null, e.reason()));
            return;
        }
        if (!node.isObject()) {
            errors.accept(new LineError(number, Problem.MALFORMED_LINE, null, null, "a line must be a JSON object, not "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT)));
            return;
        }
        String id = string(node, "id");
        String image = string(node, "image");
        for (String field : List.of("id", "image")) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull() || value.isString() && value.asString().isBlank()) {
                errors.accept(new LineError(number, Problem.MISSING_FIELD, id, image, "the record has no '" + field
                        + "'" + (field.equals("id") ? " (" + FILE_NAME + " lines are read as corpus records: id,"
                        + " image, altText, split, captions, metadata)" : "")));
                return;
            }
        }
        CorpusRecord record;
        try {
            record = Json.read(node, CorpusRecord.class);
        } catch (InvalidJsonException e) {
            errors.accept(new LineError(number, Problem.INVALID_FIELD, id, image, e.reason()));
            return;
        }
        records.record(number, record);
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    /** One line's text: strict UTF-8, without a trailing CR (CRLF files) or, on line 1, a byte-order mark. */
    private static String decode(CharsetDecoder utf8, ByteArrayOutputStream bytes, int number)
            throws CharacterCodingException {
        byte[] line = bytes.toByteArray();
        int from = number == 1 && line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF ? 3 : 0;
        int to = line.length > from && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return utf8.decode(ByteBuffer.wrap(line, from, to - from)).toString();
    }
}
