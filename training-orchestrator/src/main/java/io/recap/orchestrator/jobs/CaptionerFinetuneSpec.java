package io.recap.orchestrator.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;

/**
 * Fine-tune the captioner on human SHORT/LONG captions.
 *
 * @param humanSet name of the human caption set (e.g. ShapesWorld's 100-image set); this or corpusId
 * @param corpusId a catalog corpus whose captions serve as the training set; this or humanSet
 * @param preset {@code smoke}, {@code small} or {@code paper}
 * @param baseModel captioner version to start from; absent trains from scratch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptionerFinetuneSpec(String humanSet, String corpusId, String preset, ModelRef baseModel)
        implements JobSpec {

    public CaptionerFinetuneSpec {
        Require.that(humanSet != null || corpusId != null, "one of humanSet or corpusId is required");
        if (humanSet != null) {
            Require.safeId(humanSet, "humanSet");
        }
        if (corpusId != null) {
            Require.safeId(corpusId, "corpusId");
        }
        Presets.require(preset, "preset");
        if (baseModel != null) {
            baseModel.requireKind(ModelKind.CAPTIONER);
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.CAPTIONER_FINETUNE;
    }
}
