package io.recap.orchestrator.evaluation;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.diffusion.TextToImage;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.evaluation.ContrastiveModel;
import io.recap.ml.evaluation.FeatureNetwork;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.orchestrator.jobs.EvaluateSpec;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.text.AltTextConfig;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapesml.captioner.data.CaptionerCorpus;
import io.recap.shapesml.captioner.data.EvaluationScene;
import io.recap.shapesml.captioner.eval.CaptionerEvaluator;
import io.recap.shapesml.captioner.eval.QualityRow;
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
 * <li>captioner, besides: {@link CaptionStatistics} of each style's captions and of the alt-text against the
 *     scenes' human reference captions ({@code captions.<style>.mean_words|vocabulary|js_to_reference}).</li>
 * <li>text-to-image: {@link TextToImageEvaluation} (oracle semantics with bootstrap intervals, counting error,
 *     FID/KID and CLIP-score analogues on the frozen evaluators {@code params.featureNetwork} and
 *     {@code params.contrastiveModel}, by default {@code evaluator/shapes-features/v1} and
 *     {@code evaluator/shapes-clip/v1} when the store has them) on {@code prompts} held-out prompts (100) x
 *     {@code imagesPerPrompt} (2), worded by {@code wordings} in rotation ({@code reference,long}), DDIM
 *     {@code samplingSteps} (25), guidance {@code guidance} (3), {@code seed} (777), {@code minObjects}/
 *     {@code maxObjects} (1/4), {@code bootstrap} resamples (1000). Per-image outcomes and a sample sheet go to
 *     the store ({@link EvaluationRecord}).</li>
 * </ul>
 * Progress is evaluated scenes (or prompts) of the total; cancellation is checked between batches.
 */
public final class EvaluateTask implements TrainingTask {

    /** The FID/KID feature network used unless {@code params.featureNetwork} names another. */
    static final ModelRef FEATURE_NETWORK = ModelRef.parse("evaluator/shapes-features/v1");
    /** The CLIP-score model used unless {@code params.contrastiveModel} names another. */
    static final ModelRef CONTRASTIVE_MODEL = ModelRef.parse("evaluator/shapes-clip/v1");

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
            case EVALUATOR -> throw new IllegalArgumentException("spec.model " + ref
                    + " is an evaluator: it measures other models and is not evaluated itself");
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
        try (Captioner captioner = Captioner.load(context.models().directory(ref))) {
            int size = Math.max(SceneRenderer.MIN_SIZE, captioner.inputSize());
            // Every generated scene is an eval-split scene: none of them was ever a training scene of this seed.
            CorpusGenerator.generate(new CorpusConfig(scratch, count, seed, size, 0, count, AltTextConfig.defaults()),
                    line -> { });
            List<EvaluationScene> scenes = CaptionerCorpus.read(scratch).evaluation(count);
            List<String> styles = captioner.styles();
            context.log(String.format(Locale.ROOT, "evaluating %s on %d generated scenes (seed %d, %dx%d) in styles %s",
                    ref, scenes.size(), seed, size, size, styles));
            long total = (long) scenes.size() * styles.size();
            context.progress(0, total, null);
            Map<String, Double> metrics = new LinkedHashMap<>();
            List<String> references = scenes.stream().flatMap(s -> s.entry().captions().reference().stream())
                    .toList();
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
                metrics.putAll(CaptionStatistics.of("captions." + style, captions, references));
                context.log(String.format(Locale.ROOT, "%s %s: precision %.3f, recall %.3f, e.g. \"%s\"", ref, style,
                        row.summary().precision(), row.summary().recall(), captions.get(0)));
            }
            QualityRow alt = new CaptionerEvaluator(scenes).altText();
            metrics.putAll(new QualityRow(alt.source(), "alt", alt.decoding(), alt.summary(), alt.captions(), 0)
                    .metrics());
            metrics.putAll(CaptionStatistics.of("captions.alt", alt.captions(), references));
            metrics.put("eval.scenes", (double) scenes.size());
            metrics.put("eval.seed", (double) seed);
            return metrics;
        } finally {
            deleteRecursively(scratch);
        }
    }

    private Map<String, Double> evaluateTextToImage(ModelRef ref, TaskParams params, TaskContext context)
            throws IOException {
        List<CaptionKind> wordings = new ArrayList<>();
        for (String wording : params.text("wordings", "reference,long").split(",")) {
            try {
                wordings.add(CaptionKind.valueOf(wording.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("params.wordings: unknown caption kind '" + wording.trim()
                        + "' (use reference, short, long or pretrain)", e);
            }
        }
        int minObjects = params.intValue("minObjects", 1, 1, 4);
        TextToImageEvaluation.Settings settings = new TextToImageEvaluation.Settings(
                params.intValue("prompts", 100, 1, 100_000), params.intValue("imagesPerPrompt", 2, 1, 64),
                params.intValue("samplingSteps", SamplingOptions.DEFAULT_STEPS, 1, 1000),
                params.doubleValue("guidance", SamplingOptions.DEFAULT_GUIDANCE, 0, 100), params.longValue("seed", 777),
                minObjects, params.intValue("maxObjects", 4, minObjects, 4), wordings,
                params.intValue("bootstrap", 1000, 10, 100_000));
        DjlRuntime.prepareCurrentThread();
        ModelRef featureRef = evaluator(params, "featureNetwork", FEATURE_NETWORK, context);
        ModelRef contrastiveRef = evaluator(params, "contrastiveModel", CONTRASTIVE_MODEL, context);
        try (TextToImage model = TextToImage.load(context.models().directory(ref));
                FeatureNetwork features = featureRef == null ? null
                        : FeatureNetwork.load(context.models().directory(featureRef));
                ContrastiveModel contrastive = contrastiveRef == null ? null
                        : ContrastiveModel.load(context.models().directory(contrastiveRef))) {
            int size = model.imageSize();
            context.log(String.format(Locale.ROOT, "evaluating %s: %d held-out prompts (seed %d, %d-%d objects, worded"
                    + " %s) x %d images, DDIM %d steps, guidance %.2f, %dx%d; FID/KID on %s, CLIP score on %s", ref,
                    settings.prompts(), settings.seed(), settings.minObjects(), settings.maxObjects(), wordings,
                    settings.imagesPerPrompt(), settings.samplingSteps(), settings.guidance(), size, size,
                    featureRef == null ? "(none)" : featureRef, contrastiveRef == null ? "(none)" : contrastiveRef));
            context.progress(0, settings.prompts(), null);
            TextToImageEvaluation.Result result = TextToImageEvaluation.run(model, settings, features, contrastive,
                    done -> {
                        context.progress(done, settings.prompts(), null);
                        context.throwIfCancelled();
                    });
            Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
            String key = EvaluationRecord.write(context.store(), ref, settings, featureRef, contrastiveRef, result);
            context.log(String.format(Locale.ROOT, "%s: %d images, overall success %.3f [%.3f, %.3f]%s%s; per-image"
                    + " outcomes and a sample sheet in the store under %s", ref, result.outcomes().size(),
                    metrics.get("matcher.overall"), metrics.get("matcher.overall.ci_low"),
                    metrics.get("matcher.overall.ci_high"),
                    metrics.containsKey("fid") ? String.format(Locale.ROOT, ", FID %.2f", metrics.get("fid")) : "",
                    metrics.containsKey("clip_score")
                            ? String.format(Locale.ROOT, ", CLIP score %.2f", metrics.get("clip_score")) : "",
                    key));
            return metrics;
        }
    }

    /**
     * The evaluator a param names, else the default when the store has it; null (the metric is left out, and the
     * log says so) when the default is absent. A named evaluator that is absent fails the job; {@code none} opts out.
     */
    private static ModelRef evaluator(TaskParams params, String param, ModelRef fallback, TaskContext context) {
        if (params.has(param)) {
            String text = params.text(param, "");
            if (text.isBlank() || "none".equals(text)) {
                return null;
            }
            ModelRef ref;
            try {
                ref = ModelRef.parse(text).requireKind(ModelKind.EVALUATOR);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("params." + param + " must be an evaluator ref"
                        + " (evaluator/name/version) or none, but was '" + text + "'", e);
            }
            if (!context.models().exists(ref)) {
                throw new IllegalArgumentException("params." + param + " " + ref + " is not in the model store");
            }
            return ref;
        }
        if (context.models().exists(fallback)) {
            return fallback;
        }
        context.log("no " + fallback + " in the model store (install the shipped models/): its metrics are left out");
        return null;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
