/**
 * Runnable measurements of the captioner: {@link io.recap.experiments.captioner.CaptionerExperiment}
 * (RECAP step 1 on ShapesWorld end to end, writes {@code docs/captioner/quality.md}) and
 * {@link io.recap.experiments.captioner.CaptionerBenchmark} (offline captioning throughput).
 */
package io.recap.experiments.captioner;
