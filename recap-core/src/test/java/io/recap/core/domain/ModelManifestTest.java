package io.recap.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelManifestTest {

    private static ModelManifest textToImageManifest() {
        return new ModelManifest(ModelKind.TEXT_TO_IMAGE, "sd-shapes", "v3", "unet-cross-attention",
                Map.of("learningRate", 1e-5, "steps", 250, "promptDropout", 0.14),
                new ModelManifest.Lineage("shapes-10k", ModelRef.captioner("cap", "v2"), CaptionMix.RECAP_MIX,
                        ModelRef.textToImage("sd-shapes", "v2"), null),
                Map.of("fid", 14.84), Instant.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void roundTripsThroughJsonWithLineage() {
        ModelManifest manifest = textToImageManifest();
        byte[] json = Json.writePretty(manifest);
        ModelManifest back = Json.read(json, ModelManifest.class);
        assertThat(back.lineage()).isEqualTo(manifest.lineage());
        assertThat(back.metrics()).isEqualTo(manifest.metrics());
        assertThat(back.createdAt()).isEqualTo(manifest.createdAt());
        assertThat(back.ref()).isEqualTo(ModelRef.textToImage("sd-shapes", "v3"));
        assertThat(back.hyperParameters()).containsEntry("steps", 250).containsEntry("promptDropout", 0.14);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"createdAt\" : \"2026-01-02T03:04:05Z\"")
                .doesNotContain("humanSet");
        assertThat(manifest.storeKey()).isEqualTo("models/text-to-image/sd-shapes/v3/manifest.json");
    }

    @Test
    void withMetricsMergesAndKeepsEverythingElse() {
        ModelManifest evaluated = textToImageManifest().withMetrics(Map.of("fid", 13.0, "objectAccuracy", 0.84));
        assertThat(evaluated.metrics()).containsExactly(Map.entry("fid", 13.0), Map.entry("objectAccuracy", 0.84));
        assertThat(evaluated.lineage()).isEqualTo(textToImageManifest().lineage());
    }

    @Test
    void rejectsInvalidManifests() {
        assertThatThrownBy(() -> new ModelManifest(ModelKind.CAPTIONER, "../x", "v1", "a", null, null, null,
                Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelManifest(ModelKind.CAPTIONER, "cap", "v1", "a", null,
                new ModelManifest.Lineage(null, ModelRef.textToImage("t", "v1"), null, null, null), null,
                Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captioner");
        String missingCreatedAt = "{\"kind\":\"CAPTIONER\",\"name\":\"cap\",\"version\":\"v1\",\"architecture\":\"a\"}";
        assertThatThrownBy(() -> Json.read(missingCreatedAt.getBytes(StandardCharsets.UTF_8), ModelManifest.class))
                .isInstanceOf(InvalidJsonException.class).hasMessageContaining("createdAt");
    }
}
