package io.recap.orchestrator.ingest.format;

import io.recap.orchestrator.ingest.format.CorpusReadException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opening and reading manifest files. A manifest is decoded as strict UTF-8: a file in another encoding (a
 * Latin-1 CSV from a spreadsheet) is wrong on every line that is not ASCII, so it is refused as a whole rather
 * than item by item; a leading byte-order mark, which spreadsheets write, is skipped.
 */
final class ManifestFiles {

    private ManifestFiles() {
    }

    /** Receives the non-blank lines of a manifest with their 1-based numbers. */
    @FunctionalInterface
    interface LineHandler {
        void line(int number, String text);
    }

    /**
     * The manifest {@code dir/name}, confined to the roots.
     *
     * @throws CorpusReadException {@code NOT_A_CORPUS} when it is not a file, {@code UNSAFE_PATH} when it leads out
     */
    static Path manifest(ImageFiles files, Path dir, String name) {
        Path file;
        try {
            file = files.confine(dir, name);
        } catch (ItemRejectedException e) {
            throw new CorpusReadException(Reason.UNSAFE_PATH, "the manifest " + name + " is refused: " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            throw new CorpusReadException(Reason.NOT_A_CORPUS, "no " + name + " in " + dir);
        }
        return file;
    }

    static void lines(Path file, LineHandler handler) {
        int number = 0;
        try (BufferedReader reader = new BufferedReader(open(file))) {
            String line;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    handler.line(number, line);
                }
            }
        } catch (IOException e) {
            throw unreadable(file, number + 1, e);
        }
    }

    /** A strict UTF-8 reader positioned after any byte-order mark. */
    static Reader open(Path file) throws IOException {
        PushbackReader reader = new PushbackReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        return reader;
    }

    static CorpusReadException unreadable(Path file, int line, IOException e) {
        String why = e instanceof CharacterCodingException ? "it is not UTF-8" : e.toString();
        return new CorpusReadException(Reason.NOT_A_CORPUS, "cannot read " + file + " (at line " + line + "): " + why, e);
    }
}
