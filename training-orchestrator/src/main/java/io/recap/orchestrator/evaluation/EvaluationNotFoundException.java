package io.recap.orchestrator.evaluation;

import io.recap.core.domain.ModelRef;

/** The model version has no text-to-image evaluation in the store (no EVALUATE job has measured it yet). */
public class EvaluationNotFoundException extends RuntimeException {

    public EvaluationNotFoundException(ModelRef ref) {
        super("model " + ref + " has no evaluation yet; run an EVALUATE job for it");
    }
}
