package io.recap.core.store;

/**
 * A key, path or URI refused because it is malformed or could reach outside its root
 * (traversal, absolute path, encoded separators, symlink escape). The input is never read or written.
 */
public class UnsafePathException extends RuntimeException {

    private final String input;

    public UnsafePathException(String input, String reason) {
        super(reason + ": '" + printable(input) + "'");
        this.input = input;
    }

    /** The refused input, verbatim. */
    public String input() {
        return input;
    }

    /** Control characters (NUL in particular) would corrupt logs; show them escaped. */
    private static String printable(String input) {
        if (input == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        input.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
