package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Base64;
import java.util.Locale;

/**
 * Where an image's bytes are: a URI ({@code file:} today, {@code s3:} reserved) or, for small images
 * only, the bytes themselves as base64. Exactly one of the two is present.
 * This record checks syntax only; whether a {@code file:} URI may be read is decided by
 * {@code io.recap.core.store.AllowedRoots} at the moment of reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageRef(String uri, String inlineBase64) {

    /** Inline images travel inside Kafka messages, so they must stay well below the 1 MB record limit. */
    public static final int MAX_INLINE_BYTES = 256 * 1024;

    /** How the bytes are reached. */
    public enum Source { FILE, S3, INLINE }

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
            case "s3" -> {
                Require.that(rest.startsWith("//") && rest.indexOf('/', 2) > 2 && !rest.endsWith("/"),
                        "s3 uri must look like s3://bucket/key but was " + uri);
                return Source.S3;
            }
            default -> throw new IllegalArgumentException(
                    "image uri must use the file: or s3: scheme but was '" + uri + "'");
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("inlineBase64 is not valid base64: " + e.getMessage());
        }
    }
}
