package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;

/**
 * The validated, kind-specific part of a job request. Stored as JSON (the record's components) and
 * handed unchanged to the task or, as {@code RECAP_JOB_SPEC}, to the trainer container.
 */
public sealed interface JobSpec permits CaptionerFinetuneSpec, RelabelSpec, T2iFinetuneSpec, EvaluateSpec {

    JobKind kind();

    /** The record class that holds specs of {@code kind}. */
    static Class<? extends JobSpec> typeOf(JobKind kind) {
        return switch (kind) {
            case CAPTIONER_FINETUNE -> CaptionerFinetuneSpec.class;
            case RELABEL -> RelabelSpec.class;
            case T2I_FINETUNE -> T2iFinetuneSpec.class;
            case EVALUATE -> EvaluateSpec.class;
        };
    }
}
