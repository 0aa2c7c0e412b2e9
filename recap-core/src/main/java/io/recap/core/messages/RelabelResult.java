package io.recap.core.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Outcome for one image of a {@link RelabelRequest}: its captions by style, or why it failed.
 * Exactly one of {@code captions} and {@code error} is present, so a consumer never has to guess.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RelabelResult(
        int schemaVersion,
        String imageId,
        String corpusId,
        String batchId,
        ModelRef captioner,
        Map<CaptionStyle, String> captions,
        Failure error) implements RecapMessage {

    /**
     * Why one image could not be captioned. {@code code} is machine-readable and stable
     * (e.g. an image validation reason such as {@code TOO_MANY_PIXELS}, or {@code OUTSIDE_ALLOWED_ROOTS}).
     */
    public record Failure(String code, String message) {
        public Failure {
            Require.safeId(code, "error code");
            message = message == null ? "" : message;
        }
    }

    public RelabelResult {
        RecapMessage.requireSupportedVersion(schemaVersion);
        Require.label(imageId, "imageId");
        Require.safeId(corpusId, "corpusId");
        Require.safeId(batchId, "batchId");
        Require.present(captioner, "captioner").requireKind(ModelKind.CAPTIONER);
        Require.that((captions == null) != (error == null), "exactly one of captions or error is required");
        if (captions != null) {
            captions = checkedCaptions(captions);
        }
    }

    public static RelabelResult success(String imageId, String corpusId, String batchId, ModelRef captioner,
            Map<CaptionStyle, String> captions) {
        return new RelabelResult(CURRENT_SCHEMA_VERSION, imageId, corpusId, batchId, captioner, captions, null);
    }

    public static RelabelResult failure(String imageId, String corpusId, String batchId, ModelRef captioner,
            String code, String message) {
        return new RelabelResult(CURRENT_SCHEMA_VERSION, imageId, corpusId, batchId, captioner, null,
                new Failure(code, message));
    }

    public boolean succeeded() {
        return captions != null;
    }

    @Override
    public String key() {
        return imageId;
    }

    private static Map<CaptionStyle, String> checkedCaptions(Map<CaptionStyle, String> captions) {
        Require.that(!captions.isEmpty(), "captions must not be empty");
        Require.noNullEntries(captions, "captions");
        captions.forEach((style, caption) -> {
            Require.that(style.isGenerated(), "style " + style + " is not written by a captioner");
            Require.text(caption, style + " caption");
        });
        return Collections.unmodifiableMap(new EnumMap<>(captions));
    }
}
