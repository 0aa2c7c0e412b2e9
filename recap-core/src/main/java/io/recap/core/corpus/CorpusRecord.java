package io.recap.core.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ImageRef;
import io.recap.core.domain.Require;
import io.recap.core.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/**
 * One image of a corpus as the neutral corpus manifest ({@value CorpusRecords#FILE_NAME}) lists it: what every
 * corpus reader produces and every consumer reads, whatever world or crawl the corpus came from. The record checks
 * syntax only; whether the image exists and may be read is the reader's business (the orchestrator's ingest
 * confines it to the allowed roots), so that one bad image is that image's error, not a malformed line.
 *
 * @param id the image's id, unique within the manifest: free-form ({@link Require#label}), e.g. {@code sw-s42-000123}
 * @param image where the image is: a path relative to the manifest's directory ({@code images/000123.png}), a
 *        {@code file:} URI (absolute, or relative to the manifest's directory) or a {@code tar:} URI of a member of a
 *        tar shard ({@link ImageRef}'s syntax, its inner {@code file:} URI relative to the manifest's directory or
 *        absolute). Not an absolute plain path: such a manifest would look relocatable and not be; write a
 *        {@code file:} URI instead. A relative path whose first segment holds a colon needs a leading {@code ./}
 * @param altText the text the image came with (web alt-text); empty when there is none, never null
 * @param split which part of the corpus the image belongs to: a short lower-case label such as {@code train},
 *        {@code eval} or {@code human}; {@value #DEFAULT_SPLIT} when absent
 * @param captions human captions by style (SHORT, LONG), where the corpus has them; empty by default. Never ALT:
 *        the alt-text is {@code altText}
 * @param metadata anything else the corpus knows about the image, as JSON values (strings, numbers, booleans,
 *        null, lists, objects), e.g. a ShapesWorld scene; empty by default. Values that are not JSON values already
 *        (records, enums) are converted with the platform's mapper, and numbers are widened to {@code Long},
 *        {@code BigInteger} or {@code Double}, so a record reads back equal to the one written
 */
public record CorpusRecord(
        String id,
        String image,
        String altText,
        String split,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<CaptionStyle, String> captions,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> metadata) {

    /** The split of a record that names none: most of any corpus is training data. */
    public static final String DEFAULT_SPLIT = "train";

    /** Lower case only, so that {@code Train} and {@code train} can never be two splits of one corpus. */
    private static final Pattern SPLIT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern URI_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");

    public CorpusRecord {
        Require.label(id, "id");
        checkImage(image);
        altText = altText == null ? "" : altText;
        split = split == null ? DEFAULT_SPLIT : split;
        Require.that(SPLIT.matcher(split).matches(), "split '" + split + "' must be a short lower-case label (1 to"
                + " 32 of a-z, 0-9, '-', '_', starting with a letter or digit), such as train, eval or human");
        captions = checkedCaptions(captions);
        metadata = checkedMetadata(metadata);
    }

    /** A record without human captions or metadata. */
    public CorpusRecord(String id, String image, String altText, String split) {
        this(id, image, altText, split, null, null);
    }

    private static void checkImage(String image) {
        Require.text(image, "image");
        Require.that(image.chars().noneMatch(Character::isISOControl), "image contains a control character");
        Matcher scheme = URI_SCHEME.matcher(image);
        if (scheme.find()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            Require.that(name.equals("file") || name.equals("tar"), "image '" + image + "' must be a path relative"
                    + " to the manifest's directory, or a file: or tar: URI, not a " + name + ": URI (a relative"
                    + " path whose first segment holds a colon is written ./" + image + ")");
            try {
                ImageRef.ofUri(image);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image: " + e.getMessage(), e);
            }
        } else {
            Require.that(!image.startsWith("/"), "image '" + image + "' is an absolute path; write it relative to"
                    + " the manifest's directory, or as a file: URI");
        }
    }

    private static Map<CaptionStyle, String> checkedCaptions(Map<CaptionStyle, String> captions) {
        if (captions == null || captions.isEmpty()) {
            return Map.of();
        }
        Require.noNullEntries(captions, "captions");
        captions.forEach((style, caption) -> {
            Require.that(style.isGenerated(), "captions hold human captions by style (SHORT, LONG), not " + style
                    + ": the alt-text goes in altText");
            Require.text(caption, style + " caption");
        });
        return Collections.unmodifiableMap(new EnumMap<>(captions));
    }

    private static Map<String, Object> checkedMetadata(Map<String, Object> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            Require.text(key, "a metadata key");
            copy.put(key, jsonValue(value, "metadata." + key));
        });
        return Collections.unmodifiableMap(copy);
    }

    /**
     * {@code value} as an immutable JSON value: what reading its JSON back gives, but for the number types, which
     * are widened so that the value written and the value read are equal.
     */
    private static Object jsonValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return jsonNumber(number, path);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Require.that(entry.getKey() instanceof String, path + " has a key that is not a string: "
                        + entry.getKey());
                copy.put((String) entry.getKey(), jsonValue(entry.getValue(), path + "." + entry.getKey()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            int index = 0;
            for (Object element : collection) {
                copy.add(jsonValue(element, path + "[" + index++ + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        // A record, an enum, an array, a JSON tree: whatever the mapper writes it as, which is what a reader sees.
        Object tree;
        try {
            tree = Json.mapper().convertValue(value, Object.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(path + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        Require.that(tree == null || tree.getClass() != value.getClass(), path + " cannot be written as JSON: "
                + value.getClass().getName());
        return jsonValue(tree, path);
    }

    private static Object jsonNumber(Number number, String path) {
        if (number instanceof Double || number instanceof Float) {
            Require.that(Double.isFinite(number.doubleValue()), path + " is " + number + ", which JSON cannot hold");
            return number.doubleValue();
        }
        if (number instanceof BigDecimal decimal) {
            double value = decimal.doubleValue();
            Require.that(Double.isFinite(value), path + " is " + number + ", too large for a JSON reader's double");
            return value;
        }
        if (number instanceof BigInteger big) {
            return big.bitLength() < Long.SIZE ? (Object) big.longValue() : big;
        }
        return number.longValue();
    }
}
