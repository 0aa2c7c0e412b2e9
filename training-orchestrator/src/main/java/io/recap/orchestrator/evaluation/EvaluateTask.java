package io.recap.orchestrator.evaluation;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.captioner.data.CaptionerCorpus;
import io.recap.ml.captioner.data.EvaluationScene;
import io.recap.ml.captioner.eval.CaptionerEvaluator;
import io.recap.ml.captioner.eval.QualityRow;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.diffusion.bench.PromptEvaluation;
import io.recap.ml.diffusion.bench.ShapesWorldData;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.orchestrator.jobs.EvaluateSpec;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.match.MatchCategory;
import io.recap.shapes.match.MatchReport;
import io.recap.shapes.match.Matcher;
import io.recap.ml.image.ImageTensors;
import java.awt.image.BufferedImage;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.text.AltTextConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * EVALUATE: measures a published model on ShapesWorld scenes generated for the job (seeded, so two evaluations
 * with the same params see the same scenes; never scenes of a training corpus), stores the metrics in the version's
 * manifest ({@code ModelStore.recordMetrics}, same names replaced) and reports them as the job's metrics.
 *
 * <ul>
 * <li>captioner: {@link CaptionerEvaluator} on {@code scenes} generated scenes (default 200) in every style the
 *     captioner knows, scored against the scenes' ground truth ({@code eval.<style>.precision|recall|...}), plus the alt-text baseline of the same scenes
 *     ({@code eval.alt.*}). Params: {@code scenes}, {@code seed} (777), {@code maxTokens} (77),
 *     {@code longBeam} (1: greedy).</li>
 * <li>text-to-image: the GenEval-style prompt evaluation of recap-ml's diffusion benchmark
 *     ({@link PromptEvaluation}; images below the oracle's 32x32 minimum are upscaled first): {@code prompts}
 *     held-out LONG prompts (default 100) x {@code imagesPerPrompt} (2), DDIM {@code samplingSteps} (25), guidance
 *     {@code guidance} (3), each image read back by the ShapesWorld oracle and matched against its prompt:
 *     {@code matcher.overall} and {@code matcher.<category>} success rates. Params also {@code seed} (777),
 *     {@code minObjects}/{@code maxObjects} (1/4).</li>
 * </ul>
 * Progress is evaluated scenes (or prompts) of the total; cancellation is checked between batches.
 */
public final class EvaluateTask implements TrainingTask {

    /** Prompts sampled per progress step: DiffusionModel samples in chunks of this many rows anyway. */
    private static final int PROMPT_BATCH = 8;

    @Override
    public JobKind kind() {
        return JobKind.EVALUATE;
    }

    @Override
    public void run(JobSpec jobSpec, TaskContext context) throws Exception {
        ModelRef ref = ((EvaluateSpec) jobSpec).model();
        TaskParams params = new TaskParams(context.params());
        if (!context.models().exists(ref)) {
            throw new IllegalArgumentException("spec.model " + ref + " is not in the model store");
        }
        Map<String, Double> metrics = switch (ref.kind()) {
            case CAPTIONER -> evaluateCaptioner(ref, params, context);
            case TEXT_TO_IMAGE -> evaluateTextToImage(ref, params, context);
        };
        context.throwIfCancelled();
        context.models().recordMetrics(ref, metrics);
        context.metrics(null, metrics);
        context.log("recorded " + metrics.size() + " metrics with " + ref);
    }

    private Map<String, Double> evaluateCaptioner(ModelRef ref, TaskParams params, TaskContext context)
            throws IOException {
        int count = params.intValue("scenes", 200, 1, 100_000);
        long seed = params.longValue("seed", 777);
        int maxTokens = params.intValue("maxTokens", 77, 2, 77);
        int longBeam = params.intValue("longBeam", 1, 1, 16);
        DjlRuntime.prepareCurrentThread();
        Path scratch = Files.createTempDirectory("recap-evaluate-" + context.jobId());
        try (CaptionerModel captioner = CaptionerModel.load(context.models().directory(ref))) {
            int size = Math.max(SceneRenderer.MIN_SIZE, captioner.getConfig().imageSize());
            // Every generated scene is an eval-split scene: none of them was ever a training scene of this seed.
            CorpusGenerator.generate(new CorpusConfig(scratch, count, seed, size, 0, count, AltTextConfig.defaults()),
                    line -> { });
            List<EvaluationScene> scenes = CaptionerCorpus.read(scratch).evaluation(count);
            List<String> styles = captioner.getVocabulary().styles();
            context.log(String.format(Locale.ROOT, "evaluating %s on %d generated scenes (seed %d, %dx%d) in styles %s",
                    ref, scenes.size(), seed, size, size, styles));
            long total = (long) scenes.size() * styles.size();
            context.progress(0, total, null);
            Map<String, Double> metrics = new LinkedHashMap<>();
            long done = 0;
            // Captioned batch by batch (progress, cancellation) and scored over all scenes at once.
            for (String style : styles) {
                DecodingOptions options = (CaptionerCorpus.LONG.equals(style) && longBeam > 1
                        ? DecodingOptions.beam(longBeam) : DecodingOptions.greedy()).withMaxTokens(maxTokens);
                List<String> captions = new ArrayList<>();
                for (int from = 0; from < scenes.size(); from += CaptionerEvaluator.BATCH) {
                    context.throwIfCancelled();
                    List<EvaluationScene> batch = scenes.subList(from,
                            Math.min(scenes.size(), from + CaptionerEvaluator.BATCH));
                    captions.addAll(new CaptionerEvaluator(batch).evaluate(ref.toString(), captioner, style, options)
                            .captions());
                    done += batch.size();
                    context.progress(done, total, null);
                }
                QualityRow row = new QualityRow(ref.toString(), style, options.describe(),
                        io.recap.shapes.text.CaptionAccuracySummary.score(captions,
                                scenes.stream().map(EvaluationScene::scene).toList()), captions, 0);
                metrics.putAll(row.metrics());
                context.log(String.format(Locale.ROOT, "%s %s: precision %.3f, recall %.3f, e.g. \"%s\"", ref, style,
                        row.summary().precision(), row.summary().recall(), captions.get(0)));
            }
            QualityRow alt = new CaptionerEvaluator(scenes).altText();
            metrics.putAll(new QualityRow(alt.source(), "alt", alt.decoding(), alt.summary(), alt.captions(), 0)
                    .metrics());
            metrics.put("eval.scenes", (double) scenes.size());
            metrics.put("eval.seed", (double) seed);
            return metrics;
        } finally {
            deleteRecursively(scratch);
        }
    }

    private Map<String, Double> evaluateTextToImage(ModelRef ref, TaskParams params, TaskContext context)
            throws IOException {
        int count = params.intValue("prompts", 100, 1, 100_000);
        int perPrompt = params.intValue("imagesPerPrompt", 2, 1, 64);
        int samplingSteps = params.intValue("samplingSteps", SamplingOptions.DEFAULT_STEPS, 1, 1000);
        double guidance = params.doubleValue("guidance", SamplingOptions.DEFAULT_GUIDANCE, 0, 100);
        long seed = params.longValue("seed", 777);
        int minObjects = params.intValue("minObjects", 1, 1, 4);
        int maxObjects = params.intValue("maxObjects", 4, minObjects, 4);
        DjlRuntime.prepareCurrentThread();
        List<ShapesWorldData.EvaluationPrompt> prompts = ShapesWorldData.evaluationPrompts(seed, count, minObjects,
                maxObjects);
        try (DiffusionModel model = DiffusionModel.load(context.models().directory(ref))) {
            int size = model.getConfig().imageSize();
            context.log(String.format(Locale.ROOT, "evaluating %s: %d held-out prompts (seed %d, %d-%d objects) x %d "
                    + "images, DDIM %d steps, guidance %.2f, %dx%d", ref, count, seed, minObjects, maxObjects,
                    perPrompt, samplingSteps, guidance, size, size));
            context.progress(0, count, null);
            List<MatchReport> reports = new ArrayList<>();
            for (int from = 0; from < count; from += PROMPT_BATCH) {
                context.throwIfCancelled();
                int to = Math.min(count, from + PROMPT_BATCH);
                // Sampling derives each image's noise from (seed, row in the call): a seed per chunk keeps chunks
                // from repeating each other's noise, and the same params always give the same images.
                SamplingOptions options = new SamplingOptions(samplingSteps, (float) guidance, perPrompt,
                        seed + from);
                reports.addAll(match(model, prompts.subList(from, to), options));
                context.progress(to, count, null);
            }
            var summary = io.recap.shapes.match.MatchSummary.of(reports);
            Map<String, Double> metrics = new LinkedHashMap<>();
            putFinite(metrics, "matcher.overall", summary.overall().rate());
            for (MatchCategory category : MatchCategory.values()) {
                var rate = summary.categories().get(category);
                if (rate != null && rate.evaluated() > 0) {
                    putFinite(metrics, "matcher." + category.name().toLowerCase(Locale.ROOT), rate.rate());
                }
            }
            metrics.put("eval.prompts", (double) count);
            metrics.put("eval.images", (double) reports.size());
            metrics.put("eval.guidance", guidance);
            metrics.put("eval.sampling_steps", (double) samplingSteps);
            metrics.put("eval.seed", (double) seed);
            context.log(String.format(Locale.ROOT, "%s: %d images, overall success %.3f", ref, reports.size(),
                    summary.overall().rate()));
            return metrics;
        }
    }

    /**
     * What {@link PromptEvaluation#run} does (sample, read back with the oracle, match against the prompt), except
     * that images below the oracle's minimum size (the smoke model draws 16x16) are upscaled first.
     */
    private static List<MatchReport> match(DiffusionModel model, List<ShapesWorldData.EvaluationPrompt> prompts,
            SamplingOptions options) {
        List<String> texts = prompts.stream().map(ShapesWorldData.EvaluationPrompt::prompt).toList();
        List<BufferedImage> images = model.sample(texts, options);
        List<MatchReport> reports = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            if (image.getWidth() < SceneRenderer.MIN_SIZE) {
                image = ImageTensors.resized(image, SceneRenderer.MIN_SIZE);
            }
            reports.add(Matcher.match(texts.get(i / options.imagesPerPrompt()), image));
        }
        return reports;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
