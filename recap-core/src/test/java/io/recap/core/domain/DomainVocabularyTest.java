package io.recap.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainVocabularyTest {

    @Test
    void captionStylesHaveDistinctFixedPrefixes() {
        assertThat(CaptionStyle.SHORT.conditioningPrefix()).isEqualTo("<short>");
        assertThat(CaptionStyle.LONG.conditioningPrefix()).isEqualTo("<long>");
        assertThat(CaptionStyle.SHORT.isGenerated()).isTrue();
        assertThat(CaptionStyle.ALT.isGenerated()).isFalse();
        assertThat(CaptionStyle.parse(" long ")).isEqualTo(CaptionStyle.LONG);
        assertThatThrownBy(() -> CaptionStyle.parse("both")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobStatesOnlyMoveForwardAndTerminalStatesAreFinal() {
        assertThat(JobState.QUEUED.canTransitionTo(JobState.RUNNING)).isTrue();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.CANCELLED)).isTrue();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.SUCCEEDED)).isTrue();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.QUEUED)).isFalse();
        assertThat(JobState.QUEUED.canTransitionTo(JobState.SUCCEEDED)).isFalse();
        assertThat(JobState.RUNNING.canTransitionTo(JobState.RUNNING)).isFalse();
        for (JobState terminal : new JobState[] {JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED}) {
            assertThat(terminal.isTerminal()).isTrue();
            assertThat(terminal.allowedNext()).isEmpty();
        }
        assertThat(JobState.RUNNING.isTerminal()).isFalse();
        assertThatThrownBy(() -> JobState.FAILED.transitionTo(JobState.RUNNING))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("FAILED").hasMessageContaining("RUNNING");
    }

    @Test
    void modelRefRoundTripsThroughItsTextFormAndNamesItsStoreDirectory() {
        ModelRef ref = ModelRef.textToImage("sd-shapes", "v2");
        assertThat(ref.toString()).isEqualTo("text-to-image/sd-shapes/v2");
        assertThat(ModelRef.parse(ref.toString())).isEqualTo(ref);
        assertThat(ref.storeDirectory()).isEqualTo("models/text-to-image/sd-shapes/v2");
        assertThatThrownBy(() -> ref.requireKind(ModelKind.CAPTIONER)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The text form, an object whose kind is the path segment, and the object the platform writes. */
    @ParameterizedTest
    @ValueSource(strings = {"\"captioner/shapes/v1\"", "{\"kind\":\"captioner\",\"name\":\"shapes\",\"version\":\"v1\"}",
            "{\"kind\":\"CAPTIONER\",\"name\":\"shapes\",\"version\":\"v1\"}"})
    void modelRefReadsFromEachJsonFormItTakes(String json) {
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), ModelRef.class))
                .isEqualTo(ModelRef.captioner("shapes", "v1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"captioner/shapes\"", "[\"captioner\"]"})
    void modelRefRefusesJsonOfNeitherFormNamingTheForms(String json) {
        assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8), ModelRef.class))
                .isInstanceOf(InvalidJsonException.class).hasMessageContaining("kind/name/version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a/b", "a b", "", "-x", "x\u0000"})
    void modelRefRefusesNamesThatAreNotSafeDirectoryNames(String name) {
        assertThatThrownBy(() -> ModelRef.captioner(name, "v1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelRef.captioner("ok", name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imageRefHoldsExactlyOneOfUriAndInlineBytes() {
        assertThat(ImageRef.ofUri("file:images/a.png").source()).isEqualTo(ImageRef.Source.FILE);
        assertThat(ImageRef.ofUri("s3://bucket/a.png").source()).isEqualTo(ImageRef.Source.S3);
        ImageRef inline = ImageRef.inline(new byte[] {1, 2, 3});
        assertThat(inline.source()).isEqualTo(ImageRef.Source.INLINE);
        assertThat(inline.inlineBytes()).containsExactly(1, 2, 3);

        assertThatThrownBy(() -> new ImageRef(null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageRef("file:a.png", "AQID")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageRef.ofUri("file:a.png").inlineBytes()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com/a.png", "a.png", "file:", "s3:bucket", "s3://bucket", "file:a\u0000.png"})
    void imageRefRefusesUnsupportedOrMalformedUris(String uri) {
        assertThatThrownBy(() -> ImageRef.ofUri(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void imageRefRefusesBadOrOversizedInlineBytes() {
        assertThatThrownBy(() -> new ImageRef(null, "not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> ImageRef.inline(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        String tooBig = Base64.getEncoder().encodeToString(new byte[ImageRef.MAX_INLINE_BYTES + 1]);
        assertThatThrownBy(() -> new ImageRef(null, tooBig)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must travel by uri");
    }
}
