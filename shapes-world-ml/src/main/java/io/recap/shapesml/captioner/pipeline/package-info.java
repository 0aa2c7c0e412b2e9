/**
 * RECAP step 1 end to end on ShapesWorld: generate or read a corpus, pretrain a captioner on
 * terse captions ({@code captioner-base}), fine-tune it on the 100 human SHORT/LONG captions,
 * evaluate both on held-out scenes, and publish both versions to the model store with
 * manifests (architecture, hyper-parameters, lineage, metrics). The training orchestrator's
 * CAPTIONER_FINETUNE task runs it; recap-experiments' {@code CaptionerExperiment} is the runnable
 * main that writes the quality report.
 */
package io.recap.shapesml.captioner.pipeline;
