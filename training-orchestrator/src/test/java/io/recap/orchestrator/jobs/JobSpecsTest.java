package io.recap.orchestrator.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.service.web.InvalidFieldException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

/** Job specs as {@link JobSpecs} binds them from JSON, for a request and for {@code RECAP_JOB_SPEC}. */
class JobSpecsTest {

    @Test
    void everyKindBindsWithItsDefaultsAndAlternativeForms() {
        assertThat(bind(JobKind.CAPTIONER_FINETUNE, Map.of("humanSet", "shapes-human-100",
                "preset", "SMOKE", "baseModel", "captioner/base/v0")))
                .isEqualTo(new CaptionerFinetuneSpec("shapes-human-100", null, "smoke", ModelRef.captioner("base", "v0")));
        assertThat(bind(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", "captioner/shapes/v1")))
                .isEqualTo(new RelabelSpec("c1", ModelRef.captioner("shapes", "v1"), Set.of(CaptionStyle.SHORT, CaptionStyle.LONG)));
        assertThat(bind(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1",
                "captioner", Map.of("kind", "captioner", "name", "shapes", "version", "v1"),
                "captionMix", Map.of("shortWeight", 1, "longWeight", 3), "preset", "small")))
                .isEqualTo(new T2iFinetuneSpec("c1", ModelRef.captioner("shapes", "v1"), new CaptionMix(0, 1, 3), "small", null));
        assertThat(bind(JobKind.EVALUATE, Map.of("model", "text-to-image/sd/v2")))
                .isEqualTo(new EvaluateSpec(ModelRef.textToImage("sd", "v2")));
        assertThat(JobSpecs.kind("t2i-finetune")).isEqualTo(JobKind.T2I_FINETUNE);
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
                Arguments.of(JobKind.EVALUATE, Map.of("model", 42), "spec.model", "kind/name/version"),
                // Wrong JSON shapes, said in the client's terms rather than Jackson's.
                Arguments.of(JobKind.RELABEL, Map.of("corpusId", Map.of(), "captioner", "captioner/s/v1"),
                        "spec.corpusId", "spec.corpusId must be a string"),
                Arguments.of(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", "captioner/s/v1", "styles", "short"),
                        "spec.styles", "spec.styles must be a list"),
                Arguments.of(JobKind.RELABEL, Map.of("corpusId", "c1", "captioner", Map.of("kind", "robot", "name", "s",
                        "version", "v1")), "spec.captioner", "unknown model kind 'robot'"),
                Arguments.of(JobKind.T2I_FINETUNE, Map.of("corpusId", "c1", "captioner", "captioner/s/v1",
                        "captionMix", 5, "preset", "smoke"), "spec.captionMix", "must be a preset"));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheirField(JobKind kind, Map<String, Object> spec, String field, String message) {
        assertThatThrownBy(() -> bind(kind, spec))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo(field));
    }

    @Test
    void anUnknownFieldIsRefusedWithTheFieldsItsKindAllows() {
        assertThatThrownBy(() -> bind(JobKind.EVALUATE, Map.of("model", "captioner/s/v1", "gpus", 8)))
                .hasMessage("unknown field spec.gpus for EVALUATE (allowed: [model])");
    }

    @Test
    void aSpecBindsToTheSameRecordItsStoredJsonReadsBackAs() {
        T2iFinetuneSpec spec = new T2iFinetuneSpec("c1", ModelRef.captioner("s", "v1"), CaptionMix.RECAP_MIX, "smoke",
                ModelRef.textToImage("base", "v0"));
        assertThat(JobSpecs.bind(JobKind.T2I_FINETUNE, Json.mapper().valueToTree(spec))).isEqualTo(spec);
    }

    @Test
    void unknownKindNamesTheKindField() {
        assertThatThrownBy(() -> JobSpecs.kind("TRAIN_EVERYTHING"))
                .isInstanceOf(InvalidFieldException.class)
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("kind"));
        assertThatThrownBy(() -> bind(JobKind.EVALUATE, null))
                .satisfies(e -> assertThat(((InvalidFieldException) e).field()).isEqualTo("spec"));
    }

    private static JobSpec bind(JobKind kind, Map<String, Object> spec) {
        return JobSpecs.bind(kind, spec == null ? null : Json.mapper().valueToTree(spec));
    }
}
