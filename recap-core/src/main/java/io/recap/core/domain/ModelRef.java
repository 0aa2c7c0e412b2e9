package io.recap.core.domain;

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
