package io.recap.orchestrator.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;
import io.recap.service.web.InvalidFieldException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

class JobSpecParserTest {

    @Test
    void parsesEveryKindWithItsDefaultsAndAlternativeForms() {
        assertThat(JobSpecParser.parse(JobKind.CAPTIONER_FINETUNE, Map.of("humanSet", "shapes-human-100",
                "preset", "SMOKE", "baseModel", "captioner/base/v0")))
                .isEqualTo(new CaptionerFinetuneSpec("shapes-human-100", null, "smoke", ModelRef.captioner("base", "v0")));
        assertThat(JobSpecParser.parse(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", "captioner/shapes/v1")))
                .isEqualTo(new RelabelSpec("c1", ModelRef.captioner("shapes", "v1"), Set.of(CaptionStyle.SHORT, CaptionStyle.LONG)));
        assertThat(JobSpecParser.parse(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1",
                "captioner", Map.of("kind", "captioner", "name", "shapes", "version", "v1"),
                "captionMix", Map.of("shortWeight", 1, "longWeight", 3), "preset", "small")))
                .isEqualTo(new T2iFinetuneSpec("c1", ModelRef.captioner("shapes", "v1"), new CaptionMix(0, 1, 3), "small", null));
        assertThat(JobSpecParser.parse(JobKind.EVALUATE, Map.of("model", "text-to-image/sd/v2")))
                .isEqualTo(new EvaluateSpec(ModelRef.textToImage("sd", "v2")));
        assertThat(JobSpecParser.parseKind("t2i-finetune")).isEqualTo(JobKind.T2I_FINETUNE);
    }

    static List<Arguments> badSpecs() {
        return List.of(
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("captioner", "captioner/s/v1", "captionMix", "mix",
                        "preset", "smoke"), "spec.corpusId", "required"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1", "captioner", "text-to-image/s/v1",
                        "captionMix", "mix", "preset", "smoke"), "spec.captioner", "must be a captioner model"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1", "captioner", "captioner/s/v1",
                        "captionMix", "short=-1", "preset", "smoke"), "spec.captionMix", "shortWeight"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1", "captioner", "captioner/s/v1",
                        "captionMix", "mix", "preset", "huge"), "spec.preset", "smoke"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1", "captioner", "captioner/s/v1",
                        "captionmix", "mix", "preset", "smoke"), "spec.captionmix", "unknown field"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "../etc", "captioner", "captioner/s/v1",
                        "captionMix", "mix", "preset", "smoke"), "spec.corpusId", "may only contain"),
                Arguments.of(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", "captioner/s/v1",
                        "styles", List.of("short", "alt")), "spec.styles", "not written by a captioner"),
                Arguments.of(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", "captioner/s"),
                        "spec.captioner", "kind/name/version"),
                Arguments.of(JobKind.CAPTIONER_FINETUNE, Map.of("preset", "smoke"), "spec.humanSet", "spec.corpusId"),
                Arguments.of(JobKind.EVALUATE, Map.of(), "spec.model", "required"),
                Arguments.of(JobKind.EVALUATE, Map.of("model", 42), "spec.model", "kind/name/version"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheirField(JobKind kind, Map<String, Object> spec, String field, String message) {
        assertThatThrownBy(() -> JobSpecParser.parse(kind, spec))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo(field));
    }

    @Test
    void unknownKindNamesTheKindField() {
        assertThatThrownBy(() -> JobSpecParser.parseKind("TRAIN_EVERYTHING"))
                .isInstanceOf(InvalidFieldException.class)
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("kind"));
        assertThatThrownBy(() -> JobSpecParser.parse(JobKind.EVALUATE, null))
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("spec"));
    }
}
