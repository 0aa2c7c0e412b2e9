package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an image's bytes are: a URI ({@code file:}, {@code tar:} for a member of a local tar file, {@code s3:}
 * reserved) or, for small images only, the bytes themselves as base64. Exactly one of the two is present.
 * <p>
 * A {@code tar:} URI lets a WebDataset shard stay packed: {@code tar:<file uri>!/<member>?offset=N&length=M}, where
 * {@code N} is the byte offset of the member's data in the tar file and {@code M} its length, so a reader seeks
 * and reads exactly those bytes without parsing the tar. The member name is URL-encoded (UTF-8) so that it never
 * holds {@code !/} or {@code ?}; it is there for people and logs, the offset and length are what is read.
 * This record checks syntax only; whether a {@code file:} URI may be read is decided by
 * {@code io.recap.core.store.AllowedRoots} at the moment of reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageRef(String uri, String inlineBase64) {

    /** Inline images travel inside Kafka messages, so they must stay well below the 1 MB record limit. */
    public static final int MAX_INLINE_BYTES = 256 * 1024;

    /** How the bytes are reached. */
    public enum Source { FILE, TAR, S3, INLINE }

    /**
     * The parts of a {@code tar:} reference.
     *
     * @param fileUri the {@code file:} URI of the tar file (subject to the allowed roots like any file URI)
     * @param member the member's name in the tar, decoded
     * @param offset where the member's data starts in the tar file
     * @param length how many bytes the member's data has
     */
    public record TarMember(String fileUri, String member, long offset, long length) {

        public TarMember {
            Require.text(member, "tar member name");
            Require.that(offset >= 0, "tar member offset must not be negative but was " + offset);
            Require.that(length > 0, "tar member length must be positive but was " + length);
            Require.that(offset <= Long.MAX_VALUE - length, "tar member offset + length overflows");
            Require.that(sourceOf(fileUri) == Source.FILE, "a tar reference needs a file: uri but had " + fileUri);
        }

        /** The URI form, {@code tar:<fileUri>!/<member, URL-encoded>?offset=N&length=M}. */
        public String uri() {
            return TAR_SCHEME + fileUri + MEMBER_SEPARATOR + URLEncoder.encode(member, StandardCharsets.UTF_8)
                    + "?offset=" + offset + "&length=" + length;
        }
    }

    private static final String TAR_SCHEME = "tar:";
    private static final String MEMBER_SEPARATOR = "!/";
    private static final Pattern TAR_QUERY = Pattern.compile("offset=(\\d{1,18})&length=(\\d{1,18})");

    public ImageRef {
        boolean hasUri = uri != null;
        boolean hasInline = inlineBase64 != null;
        Require.that(hasUri != hasInline, "image reference needs exactly one of uri or inlineBase64");
        if (hasUri) {
            sourceOf(uri);
        } else {
            int size = decode(inlineBase64).length;
            Require.that(size > 0, "inline image is empty");
            Require.that(size <= MAX_INLINE_BYTES, "inline image has " + size + " bytes; more than "
                    + MAX_INLINE_BYTES + " must travel by uri");
        }
    }

    public static ImageRef ofUri(String uri) {
        return new ImageRef(uri, null);
    }

    /** A reference to {@code length} bytes at {@code offset} of the tar file at {@code fileUri}. */
    public static ImageRef tarMember(String fileUri, String member, long offset, long length) {
        return ofUri(new TarMember(fileUri, member, offset, length).uri());
    }

    /** The parts of a {@code tar:} reference; throws if this reference is not one. */
    public TarMember tarMember() {
        if (uri == null || sourceOf(uri) != Source.TAR) {
            throw new IllegalStateException("image is not a tar member: " + this);
        }
        return parseTar(uri);
    }

    public static ImageRef inline(byte[] bytes) {
        Require.present(bytes, "inline image bytes");
        return new ImageRef(null, Base64.getEncoder().encodeToString(bytes));
    }

    @JsonIgnore
    public Source source() {
        return uri == null ? Source.INLINE : sourceOf(uri);
    }

    /** The inline bytes (a fresh copy); throws if this reference is a URI. */
    public byte[] inlineBytes() {
        if (inlineBase64 == null) {
            throw new IllegalStateException("image is referenced by uri, not inline: " + uri);
        }
        return decode(inlineBase64);
    }

    @Override
    public String toString() {
        return uri != null ? uri : "inline:" + (inlineBase64.length() * 3 / 4) + " bytes";
    }

    private static Source sourceOf(String uri) {
        Require.text(uri, "image uri");
        for (int i = 0; i < uri.length(); i++) {
            if (Character.isISOControl(uri.charAt(i))) {
                throw new IllegalArgumentException("image uri contains a control character");
            }
        }
        int colon = uri.indexOf(':');
        String scheme = colon > 0 ? uri.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        String rest = uri.substring(colon + 1);
        switch (scheme) {
            case "file" -> {
                Require.that(!rest.isEmpty() && !rest.equals("//"), "file uri has no path: " + uri);
                return Source.FILE;
            }
            case "tar" -> {
                parseTar(uri);
                return Source.TAR;
            }
            case "s3" -> {
                Require.that(rest.startsWith("//") && rest.indexOf('/', 2) > 2 && !rest.endsWith("/"),
                        "s3 uri must look like s3://bucket/key but was " + uri);
                return Source.S3;
            }
            default -> throw new IllegalArgumentException(
                    "image uri must use the file:, tar: or s3: scheme but was '" + uri + "'");
        }
    }

    private static TarMember parseTar(String uri) {
        String rest = uri.substring(TAR_SCHEME.length());
        int query = rest.lastIndexOf('?');
        Require.that(query > 0, "tar uri needs ?offset=N&length=M: " + uri);
        Matcher numbers = TAR_QUERY.matcher(rest.substring(query + 1));
        Require.that(numbers.matches(), "tar uri must end in ?offset=N&length=M (decimal) but was " + uri);
        String location = rest.substring(0, query);
        int separator = location.lastIndexOf(MEMBER_SEPARATOR);
        Require.that(separator > 0, "tar uri needs <file uri>!/<member>: " + uri);
        String member;
        try {
            member = URLDecoder.decode(location.substring(separator + MEMBER_SEPARATOR.length()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tar uri has a badly encoded member name: " + uri);
        }
        return new TarMember(location.substring(0, separator), member, Long.parseLong(numbers.group(1)),
                Long.parseLong(numbers.group(2)));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inlineBase64 is not valid base64: " + e.getMessage());
        }
    }
}
