package io.recap.core.json;

import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one configured Jackson 3 mapper of the platform, and read/write helpers that never leak
 * Jackson exceptions. Unknown fields are tolerated (producers may be newer than consumers);
 * trailing garbage after the JSON value is not.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Jackson appends hints such as "(set `DeserializationFeature...` to allow)": noise for a message sender. */
    private static final Pattern CONFIG_HINT = Pattern.compile("\\s*\\(set `[^)]*\\)");

    private static final JsonMapper PRETTY = MAPPER.rebuild()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /** The shared mapper; immutable and thread-safe. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode " + typeName(value) + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Indented output for files people read (manifests). */
    public static byte[] writePretty(Object value) {
        try {
            return PRETTY.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode " + typeName(value) + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads {@code bytes} as {@code type}.
     *
     * @throws InvalidJsonException for empty input, malformed JSON, wrong types, JSON {@code null},
     *         or a value its constructor rejects
     */
    public static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidJsonException("empty input, expected a JSON " + type.getSimpleName(), null);
        }
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new InvalidJsonException(describe(e), e);
        } catch (IllegalArgumentException e) {
            // Validation that escaped Jackson's own wrapping (e.g. from a custom deserializer).
            throw new InvalidJsonException("invalid value: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new InvalidJsonException("JSON null, expected a " + type.getSimpleName(), null);
        }
        return value;
    }

    /**
     * Converts a JSON tree already parsed (to look at it first, as a manifest reader does) to {@code type}.
     *
     * @throws InvalidJsonException as {@link #read(byte[], Class)} does
     */
    public static <T> T read(JsonNode tree, Class<T> type) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw new InvalidJsonException("JSON null, expected a " + type.getSimpleName(), null);
        }
        T value;
        try {
            value = MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new InvalidJsonException(describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new InvalidJsonException("invalid value: " + e.getMessage(), e);
        }
        if (value == null) {
            throw new InvalidJsonException("JSON null, expected a " + type.getSimpleName(), null);
        }
        return value;
    }

    /** A short, human-readable cause with the JSON path, e.g. {@code items[0].image: ...}. */
    static String describe(JacksonException e) {
        String path = path(e.getPath());
        String where = path.isEmpty() ? "" : path + ": ";
        if (e instanceof ValueInstantiationException) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
            return "invalid value: " + where + message;
        }
        if (e instanceof MismatchedInputException) {
            String message = CONFIG_HINT.matcher(e.getOriginalMessage()).replaceAll("");
            if (message.startsWith("Cannot map `null`")) {
                return "missing or null value: " + where + message;
            }
            return "wrong type or shape: " + where + message;
        }
        if (e instanceof StreamReadException) {
            return "malformed JSON: " + e.getOriginalMessage();
        }
        return "unreadable JSON: " + where + e.getOriginalMessage();
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
