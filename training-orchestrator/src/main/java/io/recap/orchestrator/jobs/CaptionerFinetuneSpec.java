package io.recap.orchestrator.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.service.web.InvalidFieldException;

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
        SpecFields.optionalId(humanSet, "humanSet");
        SpecFields.optionalId(corpusId, "corpusId");
        if (humanSet == null && corpusId == null) {
            throw new InvalidFieldException("spec.humanSet", "one of spec.humanSet or spec.corpusId is required");
        }
        preset = Presets.require(preset, "preset");
        SpecFields.ofKind(baseModel, ModelKind.CAPTIONER, "baseModel");
    }

    @Override
    public JobKind kind() {
        return JobKind.CAPTIONER_FINETUNE;
    }
}
