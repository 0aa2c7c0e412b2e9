/**
 * RECAP step 1 end to end on ShapesWorld: generate or read a corpus, pretrain a captioner on
 * terse captions ({@code captioner-base}), fine-tune it on the 100 human SHORT/LONG captions,
 * evaluate both on held-out scenes, and publish both versions to the model store with
 * manifests (architecture, hyper-parameters, lineage, metrics). {@link
 * io.recap.ml.captioner.pipeline.CaptionerExperiment} is the runnable main.
 */
package io.recap.ml.captioner.pipeline;
