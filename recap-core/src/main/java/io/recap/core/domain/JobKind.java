package io.recap.core.domain;

/** The four steps of the RECAP loop that the orchestrator runs as jobs. */
public enum JobKind {
    /** Fine-tune the captioner on the human SHORT/LONG captions. */
    CAPTIONER_FINETUNE,
    /** Recaption a whole corpus with a captioner version. */
    RELABEL,
    /** Fine-tune the text-to-image model on the recaptioned corpus. */
    T2I_FINETUNE,
    /** Measure a model and store the metrics with it. */
    EVALUATE
}
