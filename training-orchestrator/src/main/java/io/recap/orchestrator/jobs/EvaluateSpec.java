package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;

/**
 * Measure a model version; the metrics are stored with it.
 *
 * @param model the version to evaluate (captioner or text-to-image)
 */
public record EvaluateSpec(ModelRef model) implements JobSpec {

    public EvaluateSpec {
        SpecFields.required(model, "model");
    }

    @Override
    public JobKind kind() {
        return JobKind.EVALUATE;
    }
}
