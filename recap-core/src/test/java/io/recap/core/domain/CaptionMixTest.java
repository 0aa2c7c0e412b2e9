package io.recap.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptionMixTest {

    @Test
    void parsesPresetsAndExplicitWeights() {
        assertThat(CaptionMix.parse("mix")).isEqualTo(new CaptionMix(0, 0.5, 0.5));
        assertThat(CaptionMix.parse("SHORT")).isEqualTo(CaptionMix.SHORT_ONLY);
        assertThat(CaptionMix.parse("short=1, long=3")).isEqualTo(new CaptionMix(0, 1, 3));
        assertThat(CaptionMix.parse("alt=0.2,short=0.4,long=0.4")).isEqualTo(new CaptionMix(0.2, 0.4, 0.4));
    }

    @Test
    void toStringParsesBackToTheSameMix() {
        CaptionMix mix = new CaptionMix(0.25, 1, 0.5);
        assertThat(CaptionMix.parse(mix.toString())).isEqualTo(mix);
        assertThat(CaptionMix.RECAP_MIX.toString()).isEqualTo("alt=0,short=0.5,long=0.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "short=-1,long=1", "short=0,long=0", "short=abc", "medium=1", "short=1,short=2",
            "short=NaN,long=1", "short=Infinity", "short=1;long=1"})
    void rejectsInvalidMixes(String text) {
        assertThatThrownBy(() -> CaptionMix.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsFromJsonAsAnyTextFormOrAsAnObjectOfWeights() {
        assertThat(readMix("\"mix\"")).isEqualTo(CaptionMix.RECAP_MIX);
        assertThat(readMix("\"short=1,long=3\"")).isEqualTo(new CaptionMix(0, 1, 3));
        assertThat(readMix("{\"shortWeight\":1,\"longWeight\":3}")).isEqualTo(new CaptionMix(0, 1, 3));
        CaptionMix mix = new CaptionMix(0.25, 1, 0.5);
        assertThat(readMix(new String(Json.write(mix), StandardCharsets.UTF_8))).isEqualTo(mix);
        assertThatThrownBy(() -> readMix("[1]")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("must be a preset");
        assertThatThrownBy(() -> readMix("{\"shortWeight\":\"much\"}")).isInstanceOf(InvalidJsonException.class)
                .hasMessageContaining("weights must be numbers");
    }

    private static CaptionMix readMix(String json) {
        return Json.read(json.getBytes(StandardCharsets.UTF_8), CaptionMix.class);
    }

    @Test
    void probabilitiesAreNormalised() {
        CaptionMix mix = new CaptionMix(0, 1, 3);
        assertThat(mix.probability(CaptionStyle.SHORT)).isEqualTo(0.25);
        assertThat(mix.probability(CaptionStyle.LONG)).isEqualTo(0.75);
        assertThat(mix.probability(CaptionStyle.ALT)).isZero();
    }

    @Test
    void pickFollowsTheWeightsAndNeverPicksAZeroWeightStyle() {
        CaptionMix mix = new CaptionMix(0, 1, 3);
        assertThat(mix.pick(0.0)).isEqualTo(CaptionStyle.SHORT);
        assertThat(mix.pick(0.2499)).isEqualTo(CaptionStyle.SHORT);
        assertThat(mix.pick(0.25)).isEqualTo(CaptionStyle.LONG);
        assertThat(mix.pick(Math.nextDown(1.0))).isEqualTo(CaptionStyle.LONG);
        assertThat(CaptionMix.SHORT_ONLY.pick(Math.nextDown(1.0))).isEqualTo(CaptionStyle.SHORT);
        assertThat(CaptionMix.ALT_ONLY.pick(0.9)).isEqualTo(CaptionStyle.ALT);
        assertThatThrownBy(() -> mix.pick(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
