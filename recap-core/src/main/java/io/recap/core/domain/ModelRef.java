package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;

/**
 * Identifies one immutable model version in the store: {@code models/{kind}/{name}/{version}/}.
 * Name and version become directory names, so they are restricted to a safe character set.
 */
public record ModelRef(ModelKind kind, String name, String version) {

    public ModelRef {
        Require.present(kind, "model kind");
        name = Require.safeId(name, "model name");
        version = Require.safeId(version, "model version");
    }

    public static ModelRef captioner(String name, String version) {
        return new ModelRef(ModelKind.CAPTIONER, name, version);
    }

    public static ModelRef textToImage(String name, String version) {
        return new ModelRef(ModelKind.TEXT_TO_IMAGE, name, version);
    }

    /** Parses the {@link #toString()} form, e.g. {@code captioner/shapes/v3}. */
    public static ModelRef parse(String text) {
        Require.text(text, "model reference");
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("model reference must be kind/name/version but was '" + text + "'");
        }
        return new ModelRef(ModelKind.parse(parts[0]), parts[1], parts[2]);
    }

    /**
     * How JSON names a version: the {@link #toString()} form ({@code "captioner/shapes/v3"}) or an object
     * {@code {"kind":..,"name":..,"version":..}} whose kind may be the enum name or the path segment. One creator takes
     * both shapes so that a value of neither shape is refused with the two forms it may take, not with Jackson's
     * account of its creators.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ModelRef fromJson(Object value) {
        if (value instanceof String text) {
            return parse(text);
        }
        if (value instanceof Map<?, ?> fields) {
            return new ModelRef(ModelKind.parse(text(fields, "kind")), text(fields, "name"), text(fields, "version"));
        }
        throw new IllegalArgumentException("must be \"kind/name/version\" or {kind, name, version}");
    }

    private static String text(Map<?, ?> fields, String name) {
        Object value = fields.get(name);
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("model " + name + " must be a string but was " + value);
        }
        return (String) value;
    }

    /** Store directory of this version, relative to the store root: {@code models/captioner/shapes/v3}. */
    public String storeDirectory() {
        return "models/" + kind.pathSegment() + "/" + name + "/" + version;
    }

    /** Throws unless this reference is of the expected kind (e.g. a relabel job needs a captioner). */
    public ModelRef requireKind(ModelKind expected) {
        if (kind != expected) {
            throw new IllegalArgumentException("expected a " + expected.pathSegment() + " model but got " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return kind.pathSegment() + "/" + name + "/" + version;
    }
}
