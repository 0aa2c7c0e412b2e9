package io.recap.core.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The directories images may be read from. Relabel workers pass every {@code file:} reference
 * through {@link #resolve(String)} and read only the path it returns; anything else is refused
 * before it is opened.
 */
public final class AllowedRoots {

    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    /** Encoded '.', '/', '\' and NUL: never needed in a real file URI, classic traversal disguises. */
    private static final List<String> ENCODED_TRICKS = List.of("%2e", "%2f", "%5c", "%00");

    private final List<Path> roots;

    /** Each root must be an existing directory; it is compared by its real path. */
    public AllowedRoots(List<Path> roots) {
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException("at least one allowed root is required");
        }
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            real.add(PathConfinement.realDirectory(root));
        }
        this.roots = List.copyOf(real);
    }

    public static AllowedRoots of(Path... roots) {
        return new AllowedRoots(List.of(roots));
    }

    /** Real paths of the roots, in configured order. */
    public List<Path> roots() {
        return roots;
    }

    public boolean allows(String fileUriOrPath) {
        try {
            resolve(fileUriOrPath);
            return true;
        } catch (UnsafePathException e) {
            return false;
        }
    }

    /**
     * Accepts {@code file:/abs}, {@code file:///abs}, {@code file://localhost/abs}, {@code file:rel}
     * or a plain path. Percent-escapes in URIs are decoded once, then the result is checked; escapes
     * of '.', '/', '\' and NUL are refused outright. Any ".." segment is refused, even one that would
     * stay inside a root. Relative paths are tried against each root in order (the first where the
     * file exists wins, else the first root); one that escapes any root through a
     * symlink is refused. Returns the real path to read.
     *
     * @throws UnsafePathException if the input is malformed or does not lie under an allowed root
     */
    public Path resolve(String fileUriOrPath) {
        String path = toPlainPath(fileUriOrPath);
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw new UnsafePathException(fileUriOrPath, "path contains a '..' segment");
            }
        }
        Path asGiven = Path.of(path);
        List<Path> candidates = asGiven.isAbsolute()
                ? List.of(asGiven.normalize())
                : roots.stream().map(root -> root.resolve(asGiven).normalize()).toList();
        Path firstAllowed = null;
        for (Path candidate : candidates) {
            Path effective = PathConfinement.effectivePath(candidate);
            if (roots.stream().noneMatch(root -> PathConfinement.isInside(effective, root))) {
                // Refuse rather than try the next root: an escape attempt must never succeed quietly.
                throw new UnsafePathException(fileUriOrPath, "path is outside the allowed roots " + roots);
            }
            if (Files.exists(effective)) {
                return effective;
            }
            if (firstAllowed == null) {
                firstAllowed = effective;
            }
        }
        return firstAllowed;
    }

    private static String toPlainPath(String input) {
        if (input == null || input.isBlank()) {
            throw new UnsafePathException(input, "image path is empty");
        }
        if (input.chars().anyMatch(Character::isISOControl)) {
            throw new UnsafePathException(input, "path contains a control character (NUL included)");
        }
        if (input.indexOf('\\') >= 0) {
            throw new UnsafePathException(input, "path contains a backslash");
        }
        String lower = input.toLowerCase(Locale.ROOT);
        for (String trick : ENCODED_TRICKS) {
            if (lower.contains(trick)) {
                throw new UnsafePathException(input, "path contains the percent-encoded sequence " + trick);
            }
        }
        if (!URI_SCHEME.matcher(input).find()) {
            return input;
        }
        if (!lower.startsWith("file:")) {
            throw new UnsafePathException(input, "only file: references can be read from local roots");
        }
        if (input.indexOf('?') >= 0 || input.indexOf('#') >= 0) {
            throw new UnsafePathException(input, "file URI must not carry a query or fragment");
        }
        URI uri;
        try {
            uri = new URI(input);
        } catch (URISyntaxException e) {
            throw new UnsafePathException(input, "malformed file URI (" + e.getReason() + ")");
        }
        String authority = uri.getRawAuthority();
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
            throw new UnsafePathException(input, "file URI names a remote host");
        }
        String decoded = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        if (decoded == null || decoded.isEmpty()) {
            throw new UnsafePathException(input, "file URI has no path");
        }
        if (decoded.indexOf('%') >= 0) {
            throw new UnsafePathException(input, "file URI is percent-encoded twice");
        }
        if (decoded.chars().anyMatch(Character::isISOControl) || decoded.indexOf('\\') >= 0) {
            throw new UnsafePathException(input, "file URI decodes to a control character or backslash");
        }
        return decoded;
    }
}
