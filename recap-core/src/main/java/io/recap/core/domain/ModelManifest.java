package io.recap.core.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Contents of {@code models/{kind}/{name}/{version}/manifest.json}: what the model is, how it was
 * trained, what it learned from (lineage) and how it measured. Maps are copied and sorted so that
 * the stored file is deterministic.
 *
 * <p>{@code files}: the SHA-256 of each file of the version (relative path to 64 lower-case hex digits), which the
 * model store computes when it publishes the version and checks before it hands the directory to a loader, so
 * weights changed on disk are refused rather than served. Empty in manifests written before the store recorded
 * them.
 *
 * <p>{@code format}: how the files are laid out and loaded, {@value #FORMAT_RECAP_DJL} for the platform's own
 * models (a DJL block and its config) or {@value #FORMAT_TORCHSCRIPT} for imported ones (TorchScript graphs, a
 * Hugging Face tokenizer and {@code torchscript.json}); a manifest without the field is {@value #FORMAT_RECAP_DJL}.
 */
public record ModelManifest(
        ModelKind kind,
        String name,
        String version,
        String architecture,
        Map<String, Object> hyperParameters,
        Lineage lineage,
        Map<String, Double> metrics,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> files,
        String format) {

    public static final String FILE_NAME = "manifest.json";
    public static final String FORMAT_RECAP_DJL = "recap-djl";
    public static final String FORMAT_TORCHSCRIPT = "torchscript";

    /**
     * What a model version was trained from. Every field is optional because it depends on the
     * kind: a captioner has a human caption set and maybe a parent; a text-to-image model has a
     * corpus, the captioner that relabelled it and the caption mix.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Lineage(
            String corpusId,
            ModelRef captionerRef,
            CaptionMix captionMix,
            ModelRef parentModel,
            String humanSet) {

        public static final Lineage NONE = new Lineage(null, null, null, null, null);

        public Lineage {
            if (captionerRef != null) {
                captionerRef.requireKind(ModelKind.CAPTIONER);
            }
        }
    }

    public ModelManifest {
        Require.present(kind, "manifest kind");
        new ModelRef(kind, name, version); // same naming rules as the directory it lives in
        Require.text(architecture, "architecture");
        hyperParameters = sortedCopy(Require.noNullEntries(hyperParameters, "hyperParameters"));
        lineage = lineage == null ? Lineage.NONE : lineage;
        metrics = sortedCopy(Require.noNullEntries(metrics, "metrics"));
        metrics.forEach((metric, value) -> Require.that(Double.isFinite(value),
                "metric " + metric + " must be finite but was " + value));
        Require.present(createdAt, "createdAt");
        files = sortedCopy(Require.noNullEntries(files, "files"));
        format = format == null ? FORMAT_RECAP_DJL : format;
        Require.that(format.equals(FORMAT_RECAP_DJL) || format.equals(FORMAT_TORCHSCRIPT),
                "format must be " + FORMAT_RECAP_DJL + " or " + FORMAT_TORCHSCRIPT + " but was " + format);
        files.forEach((path, sum) -> {
            Require.that(!path.isBlank() && !path.startsWith("/") && !path.contains("\\")
                    && java.util.Arrays.stream(path.split("/")).noneMatch(part -> part.isEmpty() || part.equals("..")),
                    "files: '" + path + "' is not a relative path inside the version");
            Require.that(sum.matches("[0-9a-f]{64}"), "files: the SHA-256 of " + path + " must be 64 hex digits");
        });
    }

    /** A manifest of the platform's own format with no recorded file checksums yet (the store adds them). */
    public ModelManifest(ModelKind kind, String name, String version, String architecture,
            Map<String, Object> hyperParameters, Lineage lineage, Map<String, Double> metrics, Instant createdAt) {
        this(kind, name, version, architecture, hyperParameters, lineage, metrics, createdAt, Map.of(),
                FORMAT_RECAP_DJL);
    }

    /** A manifest of the platform's own format with these file checksums. */
    public ModelManifest(ModelKind kind, String name, String version, String architecture,
            Map<String, Object> hyperParameters, Lineage lineage, Map<String, Double> metrics, Instant createdAt,
            Map<String, String> files) {
        this(kind, name, version, architecture, hyperParameters, lineage, metrics, createdAt, files, FORMAT_RECAP_DJL);
    }

    /** Whether the version holds imported TorchScript graphs rather than one of the platform's own models. */
    public boolean isTorchScript() {
        return FORMAT_TORCHSCRIPT.equals(format);
    }

    /** A copy in {@code newFormat}. */
    public ModelManifest withFormat(String newFormat) {
        return new ModelManifest(kind, name, version, architecture, hyperParameters, lineage, metrics, createdAt, files,
                newFormat);
    }

    public ModelRef ref() {
        return new ModelRef(kind, name, version);
    }

    /** Store key of this file, relative to the store root. */
    public String storeKey() {
        return ref().storeDirectory() + "/" + FILE_NAME;
    }

    /** A copy with {@code newMetrics} added, replacing metrics of the same name (used by EVALUATE). */
    public ModelManifest withMetrics(Map<String, Double> newMetrics) {
        Map<String, Double> merged = new TreeMap<>(metrics);
        merged.putAll(Require.noNullEntries(Require.present(newMetrics, "metrics"), "metrics"));
        return new ModelManifest(kind, name, version, architecture, hyperParameters, lineage, merged, createdAt, files,
                format);
    }

    /** A copy with these file checksums (relative path to SHA-256) instead of its own. */
    public ModelManifest withFiles(Map<String, String> newFiles) {
        return new ModelManifest(kind, name, version, architecture, hyperParameters, lineage, metrics, createdAt,
                newFiles, format);
    }

    private static <V> Map<String, V> sortedCopy(Map<String, V> values) {
        return values == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(values));
    }
}
