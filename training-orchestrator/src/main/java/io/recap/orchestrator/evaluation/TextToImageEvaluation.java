package io.recap.orchestrator.evaluation;

import io.recap.ml.diffusion.TextToImage;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.evaluation.Bootstrap;
import io.recap.ml.evaluation.ContrastiveModel;
import io.recap.ml.evaluation.FeatureNetwork;
import io.recap.ml.evaluation.FrechetDistance;
import io.recap.ml.evaluation.KernelDistance;
import io.recap.ml.image.ImageTensors;
import io.recap.shapes.match.MatchCategory;
import io.recap.shapes.match.MatchReport;
import io.recap.shapes.match.Matcher;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionWriter;
import io.recap.shapes.text.Mention;
import io.recap.shapes.text.ReferenceCaptionWriter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The text-to-image half of EVALUATE: samples a model on held-out ShapesWorld prompts and measures what the paper
 * measured, each rate with a bootstrap 95 % interval.
 *
 * <ul>
 * <li><b>Semantics</b> (the GenEval / human-rater analogue): the oracle reads every image back and the matcher
 *     scores it against its prompt: overall success and the object, count, colour, colour-binding, size and
 *     position rates (a category counts only images whose prompt states it), plus the counting error (mean
 *     absolute difference between each stated count and the count read back).</li>
 * <li><b>FID and KID analogues</b>: Fréchet and kernel distances between generated images and real renders of the
 *     same held-out scenes, on the features of a frozen ShapesWorld feature network.</li>
 * <li><b>CLIP-score analogue</b>: {@code 100 max(cos, 0)} between each image and its prompt in a frozen
 *     contrastive image-text model.</li>
 * </ul>
 * Prompts are <i>neutral</i>: prompt {@code i} is worded by {@code wordings[i % n]} — by default the first
 * reference caption of the scene (the MS-COCO analogue, medium detail) and the human LONG caption — so that no
 * fine-tune wins by matching its own training wording. Every image of every model evaluated with the same
 * settings comes from the same prompt and the same noise, so two models' {@link Outcome outcomes} pair up
 * index by index (the launcher's comparison bootstraps their difference).
 */
public final class TextToImageEvaluation {

    /** Prompts sampled per call: the models sample in chunks of this many rows anyway. */
    static final int PROMPT_BATCH = 8;

    /**
     * @param prompts held-out prompts (scenes of {@code seed}, never of a training corpus)
     * @param imagesPerPrompt images per prompt
     * @param samplingSteps DDIM steps
     * @param guidance classifier-free guidance scale
     * @param seed scenes and sampling noise
     * @param minObjects fewest objects in a scene
     * @param maxObjects most objects in a scene
     * @param wordings caption kinds prompts are worded by, in rotation
     * @param resamples bootstrap resamples of each interval
     */
    public record Settings(int prompts, int imagesPerPrompt, int samplingSteps, double guidance, long seed,
            int minObjects, int maxObjects, List<CaptionKind> wordings, int resamples) {
        public Settings {
            wordings = List.copyOf(wordings);
            if (wordings.isEmpty() || wordings.contains(CaptionKind.ALT)) {
                throw new IllegalArgumentException("wordings must name caption kinds other than alt-text");
            }
        }
    }

    /** One held-out prompt, its wording and the scene it was written from. */
    public record Prompt(int index, String text, CaptionKind wording, Scene scene) {
    }

    /**
     * What one generated image scored.
     *
     * @param prompt index of its prompt
     * @param overall every category the prompt states was met
     * @param categories pass/fail of each category the prompt states
     * @param countingError mean |stated - read| over the prompt's counted mentions; NaN when it states no count
     * @param clipScore the CLIP-score analogue; NaN without a contrastive model
     */
    public record Outcome(int prompt, boolean overall, Map<String, Boolean> categories, double countingError,
            double clipScore) {
    }

    /** The measured metrics and the per-image outcomes they came from. */
    public record Result(Map<String, Double> metrics, List<Prompt> prompts, List<Outcome> outcomes,
            List<BufferedImage> images) {
    }

    private TextToImageEvaluation() {
    }

    /** The held-out prompts of {@code settings}: the same for every model. */
    public static List<Prompt> prompts(Settings settings) {
        SceneGenerator generator = new SceneGenerator(settings.minObjects(), settings.maxObjects());
        List<Prompt> prompts = new ArrayList<>(settings.prompts());
        for (int i = 0; i < settings.prompts(); i++) {
            Scene scene = generator.scene(settings.seed(), i);
            long sceneSeed = SceneGenerator.sceneSeed(settings.seed(), i);
            CaptionKind wording = settings.wordings().get(i % settings.wordings().size());
            String text = wording == CaptionKind.REFERENCE
                    ? ReferenceCaptionWriter.write(scene, sceneSeed, 1).get(0)
                    : CaptionWriter.write(wording, scene, sceneSeed);
            prompts.add(new Prompt(i, text, wording, scene));
        }
        return prompts;
    }

    /**
     * Samples and scores {@code model}.
     *
     * @param features the FID/KID feature network, or null to leave those metrics out
     * @param contrastive the CLIP-score model, or null to leave it out
     * @param progress called with the number of prompts done; may throw to cancel
     */
    public static Result run(TextToImage model, Settings settings, FeatureNetwork features,
            ContrastiveModel contrastive, IntConsumer progress) {
        List<Prompt> prompts = prompts(settings);
        int perPrompt = settings.imagesPerPrompt();
        List<BufferedImage> images = new ArrayList<>(prompts.size() * perPrompt);
        List<MatchReport> reports = new ArrayList<>(prompts.size() * perPrompt);
        for (int from = 0; from < prompts.size(); from += PROMPT_BATCH) {
            int to = Math.min(prompts.size(), from + PROMPT_BATCH);
            List<String> texts = prompts.subList(from, to).stream().map(Prompt::text).toList();
            // Sampling derives each image's noise from (seed, row in the call): a seed per chunk keeps chunks from
            // repeating each other's noise, and the same settings always give the same images.
            SamplingOptions options = new SamplingOptions(settings.samplingSteps(), (float) settings.guidance(),
                    perPrompt, settings.seed() + from);
            List<BufferedImage> batch = model.sample(texts, options);
            for (int i = 0; i < batch.size(); i++) {
                BufferedImage image = batch.get(i);
                images.add(image);
                // The oracle reads 32x32 and up; the smoke model draws 16x16.
                BufferedImage readable = image.getWidth() < SceneRenderer.MIN_SIZE
                        ? ImageTensors.resized(image, SceneRenderer.MIN_SIZE) : image;
                reports.add(Matcher.match(texts.get(i / perPrompt), readable));
            }
            progress.accept(to);
        }
        double[] clip = new double[images.size()];
        Arrays.fill(clip, Double.NaN);
        if (contrastive != null) {
            List<String> imageTexts = new ArrayList<>(images.size());
            for (int i = 0; i < images.size(); i++) {
                imageTexts.add(prompts.get(i / perPrompt).text());
            }
            clip = contrastive.scores(images, imageTexts);
        }
        List<Outcome> outcomes = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            MatchReport report = reports.get(i);
            Map<String, Boolean> categories = new LinkedHashMap<>();
            report.results().forEach((category, passed) -> categories.put(name(category), passed));
            outcomes.add(new Outcome(i / perPrompt, report.overall(), categories, countingError(report), clip[i]));
        }
        Map<String, Double> metrics = metrics(settings, prompts, outcomes);
        if (features != null) {
            int size = model.imageSize();
            List<BufferedImage> real = prompts.stream()
                    .map(p -> ImageTensors.resized(SceneRenderer.render(p.scene(), Math.max(SceneRenderer.MIN_SIZE,
                            size), SceneGenerator.sceneSeed(settings.seed(), p.index())), size))
                    .toList();
            float[][] generated = features.features(images);
            float[][] reference = features.features(real);
            metrics.put("fid", FrechetDistance.of(generated, reference));
            KernelDistance.Result kid = KernelDistance.of(generated, reference, 20,
                    Math.min(100, Math.min(generated.length, reference.length)), settings.seed());
            metrics.put("kid", kid.mean());
            metrics.put("kid.std", kid.std());
        }
        metrics.put("eval.prompts", (double) prompts.size());
        metrics.put("eval.images", (double) outcomes.size());
        metrics.put("eval.guidance", settings.guidance());
        metrics.put("eval.sampling_steps", (double) settings.samplingSteps());
        metrics.put("eval.seed", (double) settings.seed());
        return new Result(metrics, prompts, outcomes, images);
    }

    /** Rates with their intervals: {@code matcher.<name>}, {@code matcher.<name>.ci_low|ci_high}. */
    static Map<String, Double> metrics(Settings settings, List<Prompt> prompts, List<Outcome> outcomes) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        long seed = settings.seed();
        put(metrics, "matcher.overall", outcomes.stream().mapToDouble(o -> o.overall() ? 1 : 0).toArray(),
                settings.resamples(), seed);
        for (MatchCategory category : MatchCategory.values()) {
            String name = name(category);
            double[] passed = outcomes.stream().filter(o -> o.categories().containsKey(name))
                    .mapToDouble(o -> o.categories().get(name) ? 1 : 0).toArray();
            put(metrics, "matcher." + name, passed, settings.resamples(), seed);
        }
        put(metrics, "counting_error", outcomes.stream().mapToDouble(Outcome::countingError)
                .filter(Double::isFinite).toArray(), settings.resamples(), seed);
        put(metrics, "clip_score", outcomes.stream().mapToDouble(Outcome::clipScore).filter(Double::isFinite)
                .toArray(), settings.resamples(), seed);
        for (CaptionKind wording : settings.wordings()) {
            double[] passed = outcomes.stream().filter(o -> prompts.get(o.prompt()).wording() == wording)
                    .mapToDouble(o -> o.overall() ? 1 : 0).toArray();
            if (passed.length > 0) {
                metrics.put("matcher.overall." + wording.name().toLowerCase(Locale.ROOT) + "_prompts",
                        Arrays.stream(passed).average().orElse(Double.NaN));
            }
        }
        return metrics;
    }

    private static void put(Map<String, Double> metrics, String name, double[] values, int resamples, long seed) {
        if (values.length == 0) {
            return;
        }
        Bootstrap.Interval interval = Bootstrap.mean(values, resamples, seed);
        metrics.put(name, interval.estimate());
        metrics.put(name + ".ci_low", interval.low());
        metrics.put(name + ".ci_high", interval.high());
    }

    /** Mean |stated - read| over the prompt's mentions that state or imply a count; NaN when none does. */
    static double countingError(MatchReport report) {
        double total = 0;
        int counted = 0;
        for (Mention mention : report.prompt().mentions()) {
            Integer stated = mention.impliedCount();
            if (stated == null) {
                continue;
            }
            int read = mention.colour() != null ? report.observed().count(mention.shape(), mention.colour())
                    : (int) report.observed().objects().stream().filter(o -> o.shape() == mention.shape()).count();
            total += Math.abs(read - stated);
            counted++;
        }
        return counted == 0 ? Double.NaN : total / counted;
    }

    static String name(MatchCategory category) {
        return category.name().toLowerCase(Locale.ROOT);
    }
}
