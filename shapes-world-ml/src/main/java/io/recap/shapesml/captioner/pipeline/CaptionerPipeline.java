package io.recap.shapesml.captioner.pipeline;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.CaptionerTrainer;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.training.TrainingReport;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.text.AltTextConfig;
import io.recap.shapesml.captioner.data.CaptionerCorpus;
import io.recap.shapesml.captioner.data.HumanCaptionMix;
import io.recap.shapesml.captioner.data.RehearsalMix;
import io.recap.shapesml.captioner.eval.CaptionerEvaluator;
import io.recap.shapesml.captioner.eval.QualityRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RECAP step 1 on a ShapesWorld corpus: {@link #pretrain()} a base captioner on terse captions
 * of train-split scenes and {@link #fineTune(ModelRef)} it on the human split's SHORT and LONG
 * captions; each stage evaluates its captioner on the held-out eval split and publishes it to
 * the model store with a manifest (architecture, hyper-parameters, lineage, metrics) and a loss
 * curve beside the other artifacts. {@link #run()} does both.
 */
public final class CaptionerPipeline {

    /** Default model name of the pretrained base captioner. */
    public static final String BASE_NAME = "shapes-base";
    /** Default model name of the RECAP fine-tuned captioner. */
    public static final String RECAP_NAME = "shapes";
    /** Architecture recorded in manifests. */
    public static final String ARCHITECTURE = "recap-captioner: conv grid encoder + transformer decoder, style prefixes";

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");

    /** What one stage produced. */
    public record Stage(ModelRef ref, TrainingReport training, List<QualityRow> quality, Duration evaluation) {
    }

    /** Both stages, the alt-text baseline and the corpus it all came from. */
    public record Result(String corpusId, Duration corpusTime, QualityRow altText, Stage base, Stage recap) {

        /** Rows of the quality table: alt-text, the base captioner's styles, the fine-tuned SHORT and LONG. */
        public List<QualityRow> rows() {
            List<QualityRow> rows = new ArrayList<>();
            rows.add(altText);
            rows.addAll(base.quality());
            rows.addAll(recap.quality());
            return rows;
        }
    }

    private final CaptionerPipelinePreset preset;
    private final Path corpusDirectory;
    private final long corpusSeed;
    private final ModelStore store;
    private final Path artifacts;
    private final int seed;
    private String baseName = BASE_NAME;
    private String recapName = RECAP_NAME;
    private String version;
    private int ablationImages;
    private Consumer<String> log = System.out::println;
    private Clock clock = Clock.systemUTC();
    private CaptionerCorpus corpus;
    private Duration corpusTime = Duration.ZERO;
    private CaptionerEvaluator evaluator;

    /**
     * @param preset what to build and how long to train
     * @param corpusDirectory a corpus written by {@link CorpusGenerator}, or where to generate one
     * @param corpusSeed seed of a generated corpus
     * @param store where both captioners are published
     * @param artifacts where loss curves are written
     * @param seed initial weights, batch order, jitter and dropout
     */
    public CaptionerPipeline(CaptionerPipelinePreset preset, Path corpusDirectory, long corpusSeed, ModelStore store,
            Path artifacts, int seed) {
        this.preset = preset;
        this.corpusDirectory = corpusDirectory;
        this.corpusSeed = corpusSeed;
        this.store = store;
        this.artifacts = artifacts;
        this.seed = seed;
    }

    /** Model names of the base and fine-tuned captioners (defaults {@value #BASE_NAME}, {@value #RECAP_NAME}). */
    public CaptionerPipeline names(String base, String recap) {
        this.baseName = base;
        this.recapName = recap;
        return this;
    }

    /** Version of both published models; by default the next free {@code vN} of each name. */
    public CaptionerPipeline version(String fixedVersion) {
        this.version = fixedVersion;
        return this;
    }

    /**
     * Ablation: fine-tune on this many train-split scenes' SHORT/LONG captions instead of the
     * human split (0, the default, is RECAP proper). Lineage then names that set.
     */
    public CaptionerPipeline fineTuneOnTrainSplit(int images) {
        this.ablationImages = images;
        return this;
    }

    public CaptionerPipeline log(Consumer<String> lines) {
        this.log = lines;
        return this;
    }

    public CaptionerPipeline clock(Clock manifestClock) {
        this.clock = manifestClock;
        return this;
    }

    /** Both stages. */
    public Result run() {
        Stage base = pretrain();
        Stage recap = fineTune(base.ref());
        return new Result(corpus().id(), corpusTime, evaluator().altText(), base, recap);
    }

    /** The corpus, generated first when the directory holds none. */
    public CaptionerCorpus corpus() {
        if (corpus == null) {
            try {
                long begin = System.nanoTime();
                if (!Files.isRegularFile(corpusDirectory.resolve(CorpusGenerator.MANIFEST))) {
                    CorpusGenerator.generate(new CorpusConfig(corpusDirectory, preset.corpusScenes(), corpusSeed,
                            preset.imageSize(), preset.humanScenes(), preset.evalScenes(), AltTextConfig.defaults()),
                            log);
                }
                corpus = CaptionerCorpus.read(corpusDirectory);
                corpusTime = Duration.ofNanos(System.nanoTime() - begin);
                log.accept(String.format(Locale.ROOT, "corpus %s ready in %.1f s (%s)", corpus.id(),
                        corpusTime.toMillis() / 1000.0, corpusDirectory));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare corpus in " + corpusDirectory, e);
            }
        }
        return corpus;
    }

    private CaptionerEvaluator evaluator() {
        if (evaluator == null) {
            evaluator = new CaptionerEvaluator(corpus().evaluation(preset.evalScenes()));
        }
        return evaluator;
    }

    /** Pretrains a fresh captioner on terse, reference and grounded captions, evaluates it and publishes it. */
    public Stage pretrain() {
        CaptionerCorpus data = corpus();
        try (CaptionerModel captioner = CaptionerModel.create(preset.captioner(), data.vocabulary(), seed)) {
            log.accept(String.format(Locale.ROOT, "pretraining %s (%,d parameters, vocabulary %d) on terse, reference and"
                    + " grounded captions of %d train scenes: %s", preset.captioner(), captioner.parameterCount(),
                    captioner.getVocabulary().size(), preset.pretrainScenes(), preset.pretraining()));
            TrainingReport report = train(captioner, preset.pretraining(), data.pretraining(preset.pretrainScenes(),
                    seed), "pretrain", List.of());
            ModelRef ref = ModelRef.captioner(baseName, versionFor(baseName));
            String who = "captioner-base `" + ref + "`";
            long begin = System.nanoTime();
            List<QualityRow> quality = List.of(
                    evaluate(captioner, who, CaptionerCorpus.TERSE, preset.shortDecoding()),
                    // What the base perceives of sizes and positions, before any human caption.
                    evaluate(captioner, who, CaptionerCorpus.GROUNDED, preset.shortDecoding()),
                    evaluate(captioner, who, CaptionerCorpus.SHORT, preset.shortDecoding()),
                    evaluate(captioner, who, CaptionerCorpus.LONG, preset.longDecoding()));
            Duration evaluation = Duration.ofNanos(System.nanoTime() - begin);
            Map<String, Object> hyper = hyperParameters(captioner, preset.pretraining(), report);
            hyper.put("data", "terse captions (style <terse>), reference captions (style <reference>) and grounded"
                    + " captions (style <grounded>) of "
                    + preset.pretrainScenes() + " train-split scenes");
            hyper.put("pretrainScenes", preset.pretrainScenes());
            ModelManifest manifest = new ModelManifest(ModelKind.CAPTIONER, ref.name(), ref.version(),
                    ARCHITECTURE, hyper, new ModelManifest.Lineage(data.id(), null, null, null, null),
                    metrics(report, quality), clock.instant());
            return new Stage(publish(captioner, manifest), report, quality, evaluation);
        }
    }

    /** Fine-tunes a published base captioner on the human split, evaluates it and publishes it. */
    public Stage fineTune(ModelRef base) {
        CaptionerCorpus data = corpus();
        CaptionerModel captioner;
        try {
            captioner = CaptionerModel.load(store.directory(base));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load base captioner " + base, e);
        }
        try (captioner) {
            HumanCaptionMix source = ablationImages > 0
                    ? data.fineTuningOnTrainSplit(ablationImages, seed, preset.rerender())
                    : data.fineTuning(seed, preset.rerender());
            String captionSet = ablationImages > 0 ? data.id() + "/train-" + source.images() : data.humanSetId();
            Vocabulary vocabulary = captioner.getVocabulary();
            // The base was only ever prompted with its pretraining styles: SHORT and LONG start from one each.
            Map<String, String> styleSources = Map.of(
                    CaptionerCorpus.SHORT, preset.shortTokenFrom(), CaptionerCorpus.LONG, preset.longTokenFrom());
            styleSources.forEach((style, from) -> {
                if (!from.isEmpty() && vocabulary.styles().contains(from)) {
                    captioner.getBlock().copyTokenEmbedding(vocabulary.styleId(from), vocabulary.styleId(style));
                }
            });
            if (!preset.frozenParts().isEmpty()) {
                log.accept("fine-tuning leaves the parameters of " + preset.frozenParts() + " frozen");
            }
            log.accept(String.format(Locale.ROOT, "fine-tuning %s on %d %s images, SHORT/LONG 50/50%s: %s",
                    base, source.images(), ablationImages > 0 ? "train-split (ablation)" : "human",
                    source.rerenders() ? ", re-rendered copies" : "", preset.fineTuning()));
            CaptionBatchSource batches = source;
            if (preset.rehearsal() > 0) {
                log.accept(String.format(Locale.ROOT, "rehearsal: %.0f%% of each batch from the pretraining captions",
                        preset.rehearsal() * 100));
                batches = new RehearsalMix(source, data.pretraining(preset.pretrainScenes(), seed), preset.rehearsal());
            }
            TrainingReport report = train(captioner, preset.fineTuning(), batches, "finetune", preset.frozenParts());
            ModelRef ref = ModelRef.captioner(recapName, versionFor(recapName));
            long begin = System.nanoTime();
            List<QualityRow> quality = evaluateFineTuned(captioner, ref);
            Duration evaluation = Duration.ofNanos(System.nanoTime() - begin);
            Map<String, Object> hyper = hyperParameters(captioner, preset.fineTuning(), report);
            hyper.put("data", (ablationImages > 0 ? "ABLATION, train split: " : "human split only: ")
                    + source.images() + " images, each batch 50/50 SHORT/LONG"
                    + (source.rerenders() ? ", copies re-rendered with fresh jitter" : "")
                    + (preset.rehearsal() > 0 ? ", " + Math.round(preset.rehearsal() * 100)
                            + "% of each batch rehearsing pretraining captions" : ""));
            hyper.put("rehearsal", preset.rehearsal());
            hyper.put("humanImages", source.images());
            hyper.put("rerender", source.rerenders());
            hyper.put("frozenParts", preset.frozenParts());
            hyper.put("styleTokensStartFrom", preset.styleTokensFrom().isEmpty() ? "base" : preset.styleTokensFrom());
            ModelManifest manifest = new ModelManifest(ModelKind.CAPTIONER, ref.name(), ref.version(),
                    ARCHITECTURE, hyper, new ModelManifest.Lineage(data.id(), null, null, base, captionSet),
                    metrics(report, quality), clock.instant());
            return new Stage(publish(captioner, manifest), report, quality, evaluation);
        }
    }

    /** SHORT and LONG quality of a fine-tuned captioner, of either format, on the held-out scenes. */
    public List<QualityRow> evaluateFineTuned(Captioner captioner, ModelRef ref) {
        String who = "RECAP fine-tuned `" + ref + "`";
        return List.of(evaluate(captioner, who, CaptionerCorpus.SHORT, preset.shortDecoding()),
                evaluate(captioner, who, CaptionerCorpus.LONG, preset.longDecoding()));
    }

    private TrainingReport train(CaptionerModel captioner, CaptionerTrainingPreset training,
            CaptionBatchSource source, String stage, List<String> frozen) {
        Path curve = artifacts.resolve("loss-" + stage + "-" + preset.name() + ".png");
        TrainingReport report = new CaptionerTrainer(captioner, training)
                .onProgress(progress -> log.accept(stage + " " + progress))
                .writeLossCurve(curve)
                .freeze(frozen)
                .train(source);
        log.accept(String.format(Locale.ROOT, "%s done: %s; loss curve %s", stage, report, curve));
        return report;
    }

    private QualityRow evaluate(Captioner captioner, String who, String style, DecodingOptions options) {
        QualityRow row = evaluator().evaluate(who, captioner, style, options);
        log.accept(String.format(Locale.ROOT, "eval %s %s (%s) on %d scenes in %.1f s: P %.3f R %.3f, names every"
                + " object %.1f%%, hallucinated %.3f/caption, %.1f tokens; e.g. \"%s\"", who, style, row.decoding(),
                evaluator().size(), row.seconds(), row.summary().precision(), row.summary().recall(),
                row.summary().namingEveryObjectRate() * 100, row.summary().hallucinationsPerCaption(),
                row.summary().meanTokens(), row.captions().get(0)));
        return row;
    }

    private Map<String, Object> hyperParameters(CaptionerModel captioner, CaptionerTrainingPreset training,
            TrainingReport report) {
        CaptionerConfig config = captioner.getConfig();
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("pipelinePreset", preset.name());
        hyper.put("trainingPreset", training.name());
        hyper.put("steps", training.steps());
        hyper.put("batchSize", training.batchSize());
        hyper.put("learningRate", training.learningRate());
        hyper.put("finalLearningRate", training.finalLearningRate());
        hyper.put("warmupSteps", training.warmupSteps());
        hyper.put("maxGradientNorm", training.maxGradientNorm());
        hyper.put("dropout", training.dropout());
        hyper.put("optimizer", "adam, warm-up + cosine decay");
        hyper.put("seed", seed);
        hyper.put("dropoutSeed", training.seed());
        hyper.put("imageSize", config.imageSize());
        hyper.put("gridSize", config.gridSize());
        hyper.put("encoderChannels", config.encoderChannels());
        hyper.put("width", config.width());
        hyper.put("layers", config.layers());
        hyper.put("heads", config.heads());
        hyper.put("maxTokens", config.maxTokens());
        hyper.put("vocabularySize", captioner.getVocabulary().size());
        hyper.put("styles", captioner.getVocabulary().styles());
        hyper.put("parameters", captioner.parameterCount());
        hyper.put("skippedSteps", report.skippedSteps());
        return hyper;
    }

    private Map<String, Double> metrics(TrainingReport report, List<QualityRow> quality) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("training.wall_seconds", report.duration().toMillis() / 1000.0);
        metrics.put("training.steps_per_second", report.stepsPerSecond());
        putFinite(metrics, "training.initial_loss", report.initialLoss(0.05));
        putFinite(metrics, "training.final_loss", report.finalLoss(0.05));
        metrics.put("eval.scenes", (double) evaluator().size());
        quality.forEach(row -> metrics.putAll(row.metrics()));
        return metrics;
    }

    private static void putFinite(Map<String, Double> metrics, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.put(name, value);
        }
    }

    private ModelRef publish(CaptionerModel captioner, ModelManifest manifest) {
        Path directory = store.publish(manifest, captioner::save);
        log.accept("published " + manifest.ref() + " to " + directory);
        return manifest.ref();
    }

    /** The next free version of {@code name} in the store ({@code v1}, {@code v2}, ...), or the fixed one. */
    public String versionFor(String name) {
        if (version != null) {
            return version;
        }
        int highest = 0;
        for (ModelManifest manifest : store.list(ModelKind.CAPTIONER)) {
            Matcher matcher = VERSION.matcher(manifest.version());
            if (manifest.name().equals(name) && matcher.matches()) {
                highest = Math.max(highest, Integer.parseInt(matcher.group(1)));
            }
        }
        return "v" + (highest + 1);
    }
}
