package io.recap.ml.diffusion;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.model.ModelStore;
import io.recap.ml.training.TrainingReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Publishes a trained text-to-image model (its EMA weights) as an immutable version in the
 * {@link ModelStore}, with a manifest naming the architecture, every hyper-parameter and the
 * lineage: corpus, captioner, caption mix, parent model.
 */
public final class DiffusionPublisher {

    private DiffusionPublisher() {
    }

    /**
     * @param store where to publish
     * @param model the weights to publish: the trainer's {@link DiffusionTrainer#emaModel() EMA model}
     * @param name model name (a safe id, e.g. {@code shapes-recap-mix})
     * @param version version (a safe id, e.g. {@code v3}); refused when already published
     * @param trainer the trainer that produced it, for the preset, step count and caption mix
     * @param lineage corpus, captioner and parent; its caption mix is replaced by the trainer's
     * @param metrics evaluation results, e.g. matcher success rates (may be empty)
     * @return the published manifest
     */
    public static ModelManifest publish(ModelStore store, DiffusionModel model, String name, String version,
            DiffusionTrainer trainer, ModelManifest.Lineage lineage, Map<String, Double> metrics) {
        ModelManifest.Lineage full = new ModelManifest.Lineage(lineage.corpusId(), lineage.captionerRef(),
                trainer.captionMix(), lineage.parentModel(), lineage.humanSet());
        Map<String, Object> hyperParameters = new LinkedHashMap<>();
        model.getConfig().describe().forEach((key, value) -> hyperParameters.put("model." + key, value));
        trainer.preset().describe().forEach((key, value) -> hyperParameters.put("training." + key, value));
        hyperParameters.put("training.stepsDone", trainer.step());
        hyperParameters.put("training.finalLoss", new TrainingReport(trainer.step(), 0, trainer.losses(),
                java.time.Duration.ZERO).finalLoss(0.05));
        hyperParameters.put("sampling.defaultSteps", SamplingOptions.DEFAULT_STEPS);
        hyperParameters.put("sampling.defaultGuidance", SamplingOptions.DEFAULT_GUIDANCE);
        hyperParameters.put("sampling.sampler", "ddim, eta 0, classifier-free guidance in one 2B batch");
        hyperParameters.put("parameters", model.parameterCount());
        ModelManifest manifest = new ModelManifest(ModelKind.TEXT_TO_IMAGE, name, version, architecture(model),
                hyperParameters, full, metrics, Instant.now());
        store.publish(manifest, model::save);
        return manifest;
    }

    /** A one-line description of the architecture, for the manifest. */
    public static String architecture(DiffusionModel model) {
        DiffusionConfig c = model.getConfig();
        return String.format(Locale.ROOT,
                "recap-t2i-v1: text encoder %dx%d (%d heads, %d tokens) + pixel-space UNet %dx%d, channels %d x %s, "
                        + "cross-attention at levels %s + middle, %s-prediction, cosine schedule T=%d, DDIM sampling",
                c.textLayers(), c.textWidth(), c.textHeads(), c.contextLength(), c.imageSize(), c.imageSize(),
                c.baseChannels(), java.util.Arrays.toString(c.channelMultipliers()),
                java.util.Arrays.toString(c.attentionLevels()), c.prediction().name().toLowerCase(Locale.ROOT),
                c.diffusionSteps());
    }
}
