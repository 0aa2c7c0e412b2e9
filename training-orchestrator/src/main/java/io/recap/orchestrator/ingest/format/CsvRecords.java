package io.recap.orchestrator.ingest.format;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated fields, fields in double quotes may hold commas, line breaks and
 * doubled quotes ({@code ""}); records end at CRLF, LF or a lone CR. Beyond the RFC, and as spreadsheets expect,
 * a quote inside an unquoted field is kept as a character. A record that breaks the rules (text after a closing
 * quote, a quote never closed) comes back with an error and the reader resumes at the next line, so one bad
 * record costs only itself.
 */
final class CsvRecords {

    /**
     * @param line the 1-based line the record starts on
     * @param fields its fields (those read before the error, for a malformed one)
     * @param error why the record is malformed; null for a good one
     */
    record Record(int line, List<String> fields, String error) {

        boolean blank() {
            return error == null && fields.size() == 1 && fields.get(0).isEmpty();
        }
    }

    private static final int NONE = -2;

    private final Reader in;
    private int line = 1;
    private int pushedBack = NONE;

    CsvRecords(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the input. */
    Record next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        int start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean closed = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    fields.add(field.toString());
                    return new Record(start, fields, "a quoted field is never closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        closed = true;
                        pushedBack = after;
                    }
                } else {
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                closed = false;
            } else if (c == '\n' || c == '\r' || c == -1) {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                if (c != -1) {
                    line++;
                }
                fields.add(field.toString());
                return new Record(start, fields, null);
            } else if (closed) {
                skipLine();
                return new Record(start, fields, "text after the closing quote of field " + (fields.size() + 1));
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private void skipLine() throws IOException {
        int c;
        while ((c = read()) != -1) {
            if (c == '\n' || c == '\r') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                return;
            }
        }
    }

    private int peek() throws IOException {
        if (pushedBack == NONE) {
            pushedBack = in.read();
        }
        return pushedBack;
    }

    private int read() throws IOException {
        if (pushedBack != NONE) {
            int c = pushedBack;
            pushedBack = NONE;
            return c;
        }
        return in.read();
    }
}
