package io.recap.orchestrator.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;

/**
 * Fine-tune the text-to-image model (UNet and text encoder) on a relabelled corpus. Before the first
 * attempt the orchestrator exports the corpus's captions by {@code captioner} as a dataset snapshot.
 *
 * @param corpusId the corpus
 * @param captioner the captioner version whose captions are trained on; may be absent only when the mix is
 *        alt-text alone (pretraining a base on a corpus's alt-text, as the paper's starting model was)
 * @param captionMix how each sample's caption style is drawn
 * @param preset {@code smoke}, {@code small} or {@code paper}
 * @param baseModel text-to-image version to start from; absent trains from scratch
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record T2iFinetuneSpec(String corpusId, ModelRef captioner, CaptionMix captionMix, String preset,
        ModelRef baseModel) implements JobSpec {

    public T2iFinetuneSpec {
        SpecFields.required(captionMix, "captionMix");
        SpecFields.requiredId(corpusId, "corpusId");
        boolean altOnly = captionMix.shortWeight() == 0 && captionMix.longWeight() == 0;
        SpecFields.ofKind(altOnly ? captioner : SpecFields.required(captioner, "captioner"), ModelKind.CAPTIONER,
                "captioner");
        preset = Presets.require(preset, "preset");
        SpecFields.ofKind(baseModel, ModelKind.TEXT_TO_IMAGE, "baseModel");
    }

    @Override
    public JobKind kind() {
        return JobKind.T2I_FINETUNE;
    }
}
