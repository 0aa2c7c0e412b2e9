package io.recap.orchestrator.evaluation;

import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.store.LocalBlobStore;
import io.recap.ml.diffusion.SampleSheet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a text-to-image EVALUATE leaves in the store beside the metrics it records in the manifest: every prompt and
 * every image's outcome ({@value #FILE}), so that two models evaluated with the same settings can be compared image
 * by image (paired bootstrap), and a sample sheet of the first prompts ({@value #SAMPLES}), the same prompts and
 * noise for every model. Kept under {@code evaluations/{kind}/{name}/{version}/}; a later evaluation of the version
 * replaces them, as it replaces the manifest's metrics.
 *
 * @param model the evaluated version
 * @param settings the evaluation's settings
 * @param featureNetwork the FID/KID evaluator, or null
 * @param contrastiveModel the CLIP-score evaluator, or null
 * @param metrics the recorded metrics
 * @param prompts the held-out prompts, by index
 * @param outcomes one per image, prompt-major
 */
public record EvaluationRecord(ModelRef model, TextToImageEvaluation.Settings settings, ModelRef featureNetwork,
        ModelRef contrastiveModel, Map<String, Double> metrics, List<PromptText> prompts,
        List<TextToImageEvaluation.Outcome> outcomes) {

    public static final String FILE = "evaluation.json";
    public static final String SAMPLES = "samples.png";
    /** Prompts on the sample sheet. */
    static final int SHEET_PROMPTS = 8;

    /** A prompt as it was worded. */
    public record PromptText(int index, String text, String wording) {
    }

    /** The store key of {@code file} for {@code model}. */
    public static String key(ModelRef model, String file) {
        return "evaluations/" + model.kind().pathSegment() + "/" + model.name() + "/" + model.version() + "/" + file;
    }

    /** Writes the record and the sample sheet; returns the key of the record. */
    static String write(LocalBlobStore store, ModelRef model, TextToImageEvaluation.Settings settings,
            ModelRef featureNetwork, ModelRef contrastiveModel, TextToImageEvaluation.Result result)
            throws IOException {
        List<PromptText> prompts = result.prompts().stream().map(p -> new PromptText(p.index(), p.text(),
                p.wording().name().toLowerCase(Locale.ROOT))).toList();
        EvaluationRecord record = new EvaluationRecord(model, settings, featureNetwork, contrastiveModel,
                result.metrics(), prompts, result.outcomes());
        store.put(key(model, SAMPLES), sampleSheet(model, settings, result));
        String key = key(model, FILE);
        store.put(key, Json.writePretty(record));
        return key;
    }

    /** The record of {@code model}'s latest evaluation, if it has one. */
    public static Optional<EvaluationRecord> read(LocalBlobStore store, ModelRef model) {
        return store.get(key(model, FILE)).map(bytes -> Json.read(bytes, EvaluationRecord.class));
    }

    private static byte[] sampleSheet(ModelRef model, TextToImageEvaluation.Settings settings,
            TextToImageEvaluation.Result result) throws IOException {
        int prompts = Math.min(SHEET_PROMPTS, result.prompts().size());
        int perPrompt = settings.imagesPerPrompt();
        List<String> texts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            texts.add(result.prompts().get(p).text());
            long passed = result.outcomes().subList(p * perPrompt, (p + 1) * perPrompt).stream()
                    .filter(TextToImageEvaluation.Outcome::overall).count();
            notes.add("oracle: " + passed + " of " + perPrompt + " images match");
        }
        List<BufferedImage> images = result.images().subList(0, prompts * perPrompt);
        Path png = Files.createTempFile("recap-samples", ".png");
        try {
            SampleSheet.write(texts, images, perPrompt, notes, model.toString(), png);
            return Files.readAllBytes(png);
        } finally {
            Files.deleteIfExists(png);
        }
    }
}
