package io.recap.experiments.bases;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.model.ModelStore;
import io.recap.ml.diffusion.ContrastiveTextPretraining;
import io.recap.ml.diffusion.DiffusionCheckpoint;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionPublisher;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.evaluation.ContrastiveModel;
import io.recap.ml.evaluation.FeatureNetwork;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.TrainingReport;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionSet;
import io.recap.shapes.text.CaptionWriter;
import io.recap.shapes.text.GroundedCaptionWriter;
import io.recap.shapes.text.ReferenceCaptionWriter;
import io.recap.shapesml.captioner.pipeline.CaptionerPipeline;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Trains the pretrained bases the platform ships under {@code models/} (the ShapesWorld analogues of the paper's
 * starting points), outside the orchestrator, on the same trainers and presets its pretraining jobs use.
 *
 * <pre>
 * java -Drecap.ml.threads=1 -cp recap-experiments/target/recap-experiments.jar io.recap.experiments.bases.PretrainBases \
 *   t2i|captioner|features|clip [options]      (PretrainBases --help, PretrainBases t2i --help: the options)
 * </pre>
 *
 * <ul>
 * <li>{@code t2i --out DIR --seed S --count N --steps K [--version V] [--from MODEL_DIR] [--foreground-weight W]
 *     [--web-text STEPS]}: the text-to-image base (the Stable Diffusion analogue): the
 *     {@code small} architecture and preset trained on the alt-text only of {@code count} ShapesWorld scenes of
 *     seed {@code seed} (disjoint from every fine-tuning and evaluation seed), its contrastive text-encoder
 *     pretraining on the same alt-text. The tokenizer (word vocabulary) covers every caption kind the world writes,
 *     as a CLIP tokenizer covers the language; the weights only ever see alt-text. Resumes from its newest
 *     checkpoint in {@code out/checkpoints} (a larger {@code --steps} continues a finished run with a new cosine
 *     schedule over the new total: a warm restart); without a checkpoint, {@code --from MODEL_DIR} starts from a
 *     published base's weights (a shipped {@code models/text-to-image/...} version) with fresh Adam moments and a
 *     cosine schedule over {@code --steps} more steps; publishes {@code text-to-image/shapes-t2i-base/V} in
 *     {@code out/store}. With {@code --from} and {@code --web-text STEPS}, the published base's text encoder is first
 *     replaced by one pretrained contrastively from random weights for {@code STEPS} steps on the same scenes'
 *     web text (their reference, terse and grounded captions: what the captioner base was pretrained on), the
 *     CLIP analogue, so that the base knows language its alt-text never shows; the UNet then continues on
 *     alt-text only, as Stable Diffusion's did under CLIP.</li>
 * <li>{@code captioner --out DIR --steps K [--seed S]}: the captioner base (the PaLI analogue): the {@code small} captioner pipeline's
 *     pretraining stage (terse, reference and grounded captions; no human caption), published as
 *     {@code captioner/shapes-captioner-base/v1}.</li>
 * <li>{@code features --out DIR --seed S --count N --steps K [--batch B] [--lr R]}: the frozen FID/KID feature network (the
 *     Inception analogue), trained to tag {@code count} ShapesWorld scenes of seed {@code seed} (32x32) with the
 *     words of their five reference captions (the MS-COCO analogue), the last tenth held out; published as
 *     {@code evaluator/shapes-features/v1}.</li>
 * <li>{@code clip --out DIR --seed S --count N --steps K [--batch B] [--lr R]}: the frozen CLIP-score model, trained
 *     contrastively on the same scenes and reference captions (one drawn per step); published as
 *     {@code evaluator/shapes-clip/v1}.</li>
 * </ul>
 *
 * Every option has the default {@code --help} shows. Exit status 0 when the base was published, 2 for bad
 * arguments, 1 when training failed.
 */
@Command(name = "PretrainBases", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "t2i|captioner|features|clip",
        description = "Trains the pretrained bases the platform ships under models/.",
        subcommands = {PretrainBases.TextToImage.class, PretrainBases.Captioner.class, PretrainBases.Features.class,
                PretrainBases.Clip.class})
public final class PretrainBases implements Callable<Integer> {

    /** Side of the evaluators' images: the resolution the text-to-image models generate at. */
    private static final int EVALUATOR_IMAGE_SIZE = 32;
    /** Feature width of both evaluators (the FID feature dimension). */
    private static final int EVALUATOR_WIDTH = 128;
    private static final int FEATURES_COUNT = 30_000;
    private static final int FEATURES_STEPS = 3000;
    private static final int FEATURES_BATCH = 32;
    private static final float FEATURES_LEARNING_RATE = 3e-3f;
    private static final int CLIP_COUNT = 20_000;
    private static final int CLIP_STEPS = 750;
    private static final int CLIP_BATCH = 64;
    private static final float CLIP_LEARNING_RATE = 1e-3f;
    /** Fresh caption sets per scene from which the label-noise ceiling of the feature network's F1 is estimated. */
    private static final int CEILING_RESAMPLES = 64;
    /** A word becomes a feature-network label when at least this many training captions use it. */
    private static final int MIN_LABEL_CAPTIONS = 20;
    /**
     * Caption words that say nothing about the image: function words and the words of the caption frames
     * ("A picture of ...", "... drawn on a white surface", "Some simple shapes: ..."), which annotators pick
     * regardless of what the scene shows. Learning them would only add noise to the features.
     */
    private static final Set<String> NON_VISUAL_WORDS = Set.of("the", "and", "with", "this", "there", "are", "another",
            "image", "picture", "drawing", "shapes", "simple", "some", "shown", "drawn", "containing", "surface",
            "background");

    private PretrainBases() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints or parses. */
    static CommandLine commandLine() {
        return new CommandLine(new PretrainBases());
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "name the base to train: t2i, captioner, features or clip");
    }

    /** {@code --out}, which every base takes. */
    static final class Output {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Checkpoints, samples and the store the base is published in; default ${DEFAULT-VALUE}.")
        Path out = Path.of("/tmp/recap-bases");
    }

    // No mixinStandardHelpOptions here: --version names the published version, not this program's.
    @Command(name = "t2i", sortOptions = false,
            description = "The text-to-image base: the small architecture and preset on alt-text only.")
    static final class TextToImage implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Mixin
        Output output;

        @Option(names = "--seed", paramLabel = "S", description = "Scene seed; default ${DEFAULT-VALUE}.")
        long seed = 1001;

        @Option(names = "--count", paramLabel = "N", description = "Training scenes; default ${DEFAULT-VALUE}.")
        int count = 20_000;

        @Option(names = "--steps", paramLabel = "K", description = "Training steps; default ${DEFAULT-VALUE}.")
        int steps = 3000;

        @Option(names = "--version", paramLabel = "V",
                description = "Version of text-to-image/shapes-t2i-base to publish; default ${DEFAULT-VALUE}.")
        String version = "v1";

        @Option(names = "--from", paramLabel = "MODEL_DIR",
                description = "Start from this published base's weights (when out/checkpoints has none).")
        Path from;

        @Option(names = "--foreground-weight", paramLabel = "W",
                description = "Loss weight of foreground pixels; default ${DEFAULT-VALUE} (the small preset's).")
        float foregroundWeight = DiffusionTrainingPreset.small().foregroundWeight();

        @Option(names = "--web-text", paramLabel = "STEPS", description = "With --from: first pretrain a new text "
                + "encoder for this many steps on the scenes' web text; default ${DEFAULT-VALUE}.")
        int webTextSteps;

        @Override
        public Integer call() throws Exception {
            DjlRuntime.prepareCurrentThread();
            t2i(output.out, seed, count, steps, version, Optional.ofNullable(from), foregroundWeight, webTextSteps);
            return 0;
        }
    }

    @Command(name = "captioner", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The captioner base: the small captioner pipeline's pretraining stage.")
    static final class Captioner implements Callable<Integer> {
        @Mixin
        Output output;

        @Option(names = "--steps", paramLabel = "K", description = "Pretraining steps; default ${DEFAULT-VALUE}.")
        int steps = 10_000;

        @Option(names = "--seed", paramLabel = "S", description = "Corpus seed; default ${DEFAULT-VALUE}.")
        long seed = 1002;

        @Override
        public Integer call() {
            DjlRuntime.prepareCurrentThread();
            captioner(output.out, steps, seed);
            return 0;
        }
    }

    /** What the two evaluators are trained with. */
    abstract static class EvaluatorOptions {
        @Mixin
        Output output;

        @Option(names = "--seed", paramLabel = "S", description = "Scene seed; default ${DEFAULT-VALUE}.")
        long seed = 1003;

        @Option(names = "--count", paramLabel = "N", description = "Scenes; default ${DEFAULT-VALUE}.")
        int count;

        @Option(names = "--steps", paramLabel = "K", description = "Training steps; default ${DEFAULT-VALUE}.")
        int steps;

        @Option(names = "--batch", paramLabel = "B", description = "Batch size; default ${DEFAULT-VALUE}.")
        int batch;

        @Option(names = "--lr", paramLabel = "R", description = "Learning rate; default ${DEFAULT-VALUE}.")
        float learningRate;

        EvaluatorOptions(int count, int steps, int batch, float learningRate) {
            this.count = count;
            this.steps = steps;
            this.batch = batch;
            this.learningRate = learningRate;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The frozen FID/KID feature network, trained to tag scenes with their captions' words.")
    static final class Features extends EvaluatorOptions implements Callable<Integer> {
        Features() {
            super(FEATURES_COUNT, FEATURES_STEPS, FEATURES_BATCH, FEATURES_LEARNING_RATE);
        }

        @Override
        public Integer call() {
            DjlRuntime.prepareCurrentThread();
            features(output.out, seed, count, steps, batch, learningRate);
            return 0;
        }
    }

    @Command(name = "clip", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The frozen CLIP-score model, trained contrastively on scenes and reference captions.")
    static final class Clip extends EvaluatorOptions implements Callable<Integer> {
        Clip() {
            super(CLIP_COUNT, CLIP_STEPS, CLIP_BATCH, CLIP_LEARNING_RATE);
        }

        @Override
        public Integer call() {
            DjlRuntime.prepareCurrentThread();
            clip(output.out, seed, count, steps, batch, learningRate);
            return 0;
        }
    }

    static void t2i(Path out, long seed, int count, int steps, String version, Optional<Path> from,
            float foregroundWeight, int webTextSteps) throws Exception {
        DiffusionConfig config = DiffusionConfig.small();
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(steps).withSeed(seed)
                .withSchedule(50, 500, 250).withForegroundWeight(foregroundWeight);
        List<DiffusionExample> examples = ShapesWorldData.trainingExamples(seed, count, config.imageSize(), 1, 4);
        var vocabulary = ShapesWorldData.vocabulary(examples);
        Path checkpoints = out.resolve("checkpoints");
        Optional<Path> latest = DiffusionCheckpoint.latest(checkpoints);
        DiffusionModel start = latest.isEmpty() && from.isPresent() ? DiffusionModel.load(from.get()) : null;
        if (start != null && webTextSteps > 0) {
            TrainingReport text = ContrastiveTextPretraining.pretrainTextEncoder(start,
                    examples.stream().map(DiffusionExample::image).toList(), webText(seed, count),
                    new ContrastiveTextPretraining.Settings(webTextSteps, ContrastiveTextPretraining.BATCH_SIZE,
                            ContrastiveTextPretraining.LEARNING_RATE, CaptionMix.ALT_ONLY, seed),
                    progress -> System.out.println("t2i-base web text " + progress));
            System.out.println("t2i-base web text encoder: " + text);
        }
        DiffusionTrainer trainer = latest.isPresent()
                ? DiffusionTrainer.resume(latest.get(), preset, CaptionMix.ALT_ONLY)
                : start != null
                        ? DiffusionTrainer.start(start, preset, CaptionMix.ALT_ONLY)
                        : DiffusionTrainer.create(config, vocabulary, seed, preset, CaptionMix.ALT_ONLY);
        try (start; trainer) {
            trainer.checkpointTo(checkpoints, 3)
                    .onProgress(progress -> System.out.println("t2i-base " + progress))
                    .onTextPretrainingProgress(progress -> System.out.println("t2i-base text " + progress))
                    .sampleGrids(ShapesWorldData.evaluationPrompts(777, 4, 1, 4).stream()
                            .map(ShapesWorldData.EvaluationPrompt::prompt).toList(), out.resolve("samples"))
                    .writeLossCurve(out.resolve("loss.png"));
            TrainingReport report = trainer.train(examples);
            System.out.println("t2i-base trained: " + report);
            ModelManifest manifest = DiffusionPublisher.publish(new ModelStore(out.resolve("store")),
                    trainer.emaModel(), "shapes-t2i-base", version, trainer,
                    new ModelManifest.Lineage("shapes-" + seed + "-pretrain", null, null, null, null), Map.of());
            System.out.println("published " + manifest.ref());
        }
    }

    /**
     * The web text of the t2i corpus's scenes, in {@link ShapesWorldData#trainingExamples} order: the captions the
     * captioner base was pretrained on (five reference captions, the terse and the grounded one), never SHORT or
     * LONG, the styles the RECAP captioner learns from the human captions.
     */
    static List<List<String>> webText(long seed, int count) {
        SceneGenerator generator = new SceneGenerator(1, 4);
        List<List<String>> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Scene scene = generator.scene(seed, i);
            CaptionSet captions = CaptionWriter.captions(scene, SceneGenerator.sceneSeed(seed, i));
            List<String> own = new ArrayList<>(captions.reference());
            own.add(captions.pretrain());
            own.add(GroundedCaptionWriter.write(scene));
            texts.add(own);
        }
        return texts;
    }

    static void captioner(Path out, int steps, long corpusSeed) {
        CaptionerPipelinePreset small = CaptionerPipelinePreset.small();
        CaptionerPipelinePreset preset = small.withPretraining(small.pretraining().withSteps(steps));
        CaptionerPipeline pipeline = new CaptionerPipeline(preset, out.resolve("corpus-" + corpusSeed), corpusSeed,
                new ModelStore(out.resolve("store")), out.resolve("artifacts"), 1)
                .names("shapes-captioner-base", "unused")
                .version("v1")
                .log(System.out::println);
        CaptionerPipeline.Stage base = pipeline.pretrain();
        System.out.println("published " + base.ref() + " " + base.training());
    }

    /**
     * The FID/KID feature network: trained on the first nine tenths of the scenes to predict the label words of
     * their reference captions, measured (micro F1) on the last tenth.
     */
    static void features(Path out, long seed, int count, int steps, int batch, float learningRate) {
        ReferenceCorpus corpus = ReferenceCorpus.render(seed, count);
        List<Set<String>> words = corpus.captions().stream().map(PretrainBases::visualWords).toList();
        List<String> labels = frequentWords(corpus.training(corpus.captions()), MIN_LABEL_CAPTIONS);
        System.out.println("features: " + labels.size() + " labels " + labels);
        try (FeatureNetwork network = FeatureNetwork.create(EVALUATOR_IMAGE_SIZE, EVALUATOR_WIDTH, labels, seed)) {
            TrainingReport report = network.train(corpus.training(corpus.images()), corpus.training(words), steps,
                    batch, learningRate, seed, progress -> { });
            double heldOutF1 = network.labelF1(corpus.heldOut(corpus.images()), corpus.heldOut(words));
            double trainingF1 = network.labelF1(corpus.training(corpus.images()).subList(0, corpus.heldOutCount()),
                    corpus.training(words).subList(0, corpus.heldOutCount()));
            double ceiling = labelF1Ceiling(corpus, labels, corpus.heldOut(words));
            System.out.printf(Locale.ROOT, "features trained: %s; label F1 held out %.4f (ceiling %.4f), training"
                    + " %.4f%n", report, heldOutF1, ceiling, trainingF1);
            Map<String, Object> hyperParameters = evaluatorHyperParameters(corpus, seed, steps, batch, learningRate);
            hyperParameters.put("model.imageSize", EVALUATOR_IMAGE_SIZE);
            hyperParameters.put("model.width", EVALUATOR_WIDTH);
            hyperParameters.put("labels", labels.size());
            hyperParameters.put("labels.minCaptions", MIN_LABEL_CAPTIONS);
            hyperParameters.put("labels.nonVisualWords", String.join(" ", NON_VISUAL_WORDS.stream().sorted().toList()));
            Map<String, Double> metrics = Map.of("heldOutLabelF1", heldOutF1, "heldOutLabelF1Ceiling", ceiling,
                    "trainingLabelF1", trainingF1, "finalLoss", (double) report.finalLoss(0.05));
            publish(out, new ModelManifest(ModelKind.EVALUATOR, "shapes-features", "v1", network.architecture(),
                    hyperParameters, lineage(seed), metrics, Instant.now()), network::save);
        }
    }

    /**
     * The CLIP-score model: trained contrastively on the first nine tenths of the scenes, measured by text-to-image
     * retrieval (first reference caption, blocks of 32) and mean scores of matching and mismatched pairs on the last
     * tenth.
     */
    static void clip(Path out, long seed, int count, int steps, int batch, float learningRate) {
        ReferenceCorpus corpus = ReferenceCorpus.render(seed, count);
        List<String> trainingCaptions = corpus.training(corpus.captions()).stream().flatMap(List::stream).toList();
        ContrastiveModel.Config config = ContrastiveModel.Config.withClipContext(EVALUATOR_IMAGE_SIZE, EVALUATOR_WIDTH,
                2, 4);
        try (ContrastiveModel model = ContrastiveModel.create(config, trainingCaptions, seed)) {
            TrainingReport report = model.train(corpus.training(corpus.images()), corpus.training(corpus.captions()),
                    steps, batch, learningRate, seed, progress -> { });
            List<BufferedImage> images = corpus.heldOut(corpus.images());
            List<String> texts = corpus.heldOut(corpus.captions()).stream().map(captions -> captions.get(0)).toList();
            List<String> shifted = new ArrayList<>(texts.subList(1, texts.size()));
            shifted.add(texts.get(0));
            double retrieval = model.retrievalAccuracy(images, texts);
            double matching = mean(model.scores(images, texts));
            double mismatched = mean(model.scores(images, shifted));
            System.out.printf(Locale.ROOT, "clip trained: %s; held out top-1 retrieval in blocks of %d %.4f (chance"
                    + " %.4f), CLIP score matching %.2f, mismatched %.2f%n", report, ContrastiveModel.RETRIEVAL_BATCH,
                    retrieval, 1.0 / ContrastiveModel.RETRIEVAL_BATCH, matching, mismatched);
            Map<String, Object> hyperParameters = evaluatorHyperParameters(corpus, seed, steps, batch, learningRate);
            hyperParameters.put("model.imageSize", config.imageSize());
            hyperParameters.put("model.width", config.width());
            hyperParameters.put("model.textLayers", config.textLayers());
            hyperParameters.put("model.textHeads", config.textHeads());
            hyperParameters.put("model.contextLength", config.contextLength());
            hyperParameters.put("vocabulary", model.vocabulary().size());
            hyperParameters.put("score", "100 * max(cos, 0), as torchmetrics CLIPScore");
            Map<String, Double> metrics = Map.of("heldOutRetrievalTop1", retrieval,
                    "heldOutClipScoreMatching", matching, "heldOutClipScoreMismatched", mismatched,
                    "finalLoss", (double) report.finalLoss(0.05));
            publish(out, new ModelManifest(ModelKind.EVALUATOR, "shapes-clip", "v1", model.architecture(),
                    hyperParameters, lineage(seed), metrics, Instant.now()), model::save);
        }
    }

    /**
     * ShapesWorld scenes {@code 0..count-1} of one seed with 1-4 objects, rendered at the evaluators' size, and five
     * reference captions each; the last tenth is held out.
     */
    record ReferenceCorpus(long seed, List<Scene> scenes, List<BufferedImage> images, List<List<String>> captions) {

        static ReferenceCorpus render(long seed, int count) {
            if (count < 20) {
                throw new IllegalArgumentException("an evaluator corpus needs at least 20 scenes, got " + count);
            }
            SceneGenerator generator = new SceneGenerator(1, 4);
            List<Scene> scenes = new ArrayList<>(count);
            List<BufferedImage> images = new ArrayList<>(count);
            List<List<String>> captions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Scene scene = generator.scene(seed, i);
                long sceneSeed = SceneGenerator.sceneSeed(seed, i);
                scenes.add(scene);
                images.add(SceneRenderer.render(scene, EVALUATOR_IMAGE_SIZE, sceneSeed));
                captions.add(ReferenceCaptionWriter.write(scene, sceneSeed, ReferenceCaptionWriter.DEFAULT_COUNT));
            }
            return new ReferenceCorpus(seed, scenes, images, captions);
        }

        int heldOutCount() {
            return images.size() / 10;
        }

        <T> List<T> training(List<T> items) {
            return items.subList(0, items.size() - heldOutCount());
        }

        <T> List<T> heldOut(List<T> items) {
            return items.subList(items.size() - heldOutCount(), items.size());
        }

        String description() {
            return "ShapesWorld seed " + seed + ", " + images.size() + " scenes, reference captions";
        }
    }

    /** The visual words of an image's captions: lower case, split on non-letters, three letters or more. */
    private static Set<String> visualWords(List<String> captions) {
        Set<String> words = new LinkedHashSet<>();
        for (String caption : captions) {
            for (String word : caption.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (word.length() >= 3 && !NON_VISUAL_WORDS.contains(word)) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /**
     * The held-out label F1 that a perfect tagger would reach. Annotators mention sizes and places only sometimes
     * and pick among synonyms ("big", "large"; "centre", "middle"), so part of an image's label set is chance: for
     * each held-out scene, the labels named by more than half of {@value #CEILING_RESAMPLES} fresh sets of its
     * reference captions are the best guess at the network's threshold of one half, and their F1 against the actual
     * captions bounds what any network can reach.
     */
    private static double labelF1Ceiling(ReferenceCorpus corpus, List<String> labels, List<Set<String>> actual) {
        List<Set<String>> guesses = new ArrayList<>();
        int first = corpus.scenes().size() - corpus.heldOutCount();
        for (int i = first; i < corpus.scenes().size(); i++) {
            Scene scene = corpus.scenes().get(i);
            long sceneSeed = SceneGenerator.sceneSeed(corpus.seed(), i);
            Map<String, Integer> named = new HashMap<>();
            for (int r = 1; r <= CEILING_RESAMPLES; r++) {
                List<String> captions = ReferenceCaptionWriter.write(scene, SceneGenerator.sceneSeed(sceneSeed, r),
                        ReferenceCaptionWriter.DEFAULT_COUNT);
                visualWords(captions).forEach(word -> named.merge(word, 1, Integer::sum));
            }
            Set<String> guess = new LinkedHashSet<>();
            named.forEach((word, times) -> {
                if (2 * times > CEILING_RESAMPLES) {
                    guess.add(word);
                }
            });
            guesses.add(guess);
        }
        return FeatureNetwork.microF1(labels, guesses, actual);
    }

    /** Visual words used by at least {@code minCaptions} captions, most used first (ties alphabetical). */
    private static List<String> frequentWords(List<List<String>> captionsPerImage, int minCaptions) {
        Map<String, Integer> captionCounts = new HashMap<>();
        for (List<String> captions : captionsPerImage) {
            for (String caption : captions) {
                visualWords(List.of(caption)).forEach(word -> captionCounts.merge(word, 1, Integer::sum));
            }
        }
        return captionCounts.entrySet().stream()
                .filter(entry -> entry.getValue() >= minCaptions)
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }

    private static Map<String, Object> evaluatorHyperParameters(ReferenceCorpus corpus, long seed, int steps,
            int batch, float learningRate) {
        Map<String, Object> hyperParameters = new LinkedHashMap<>();
        hyperParameters.put("seed", seed);
        hyperParameters.put("count", corpus.images().size());
        hyperParameters.put("heldOut", corpus.heldOutCount());
        hyperParameters.put("training.steps", steps);
        hyperParameters.put("training.batch", batch);
        hyperParameters.put("training.learningRate", learningRate);
        hyperParameters.put("training.schedule", "Adam, warm-up then cosine decay to a tenth");
        hyperParameters.put("trainingCorpus", corpus.description());
        return hyperParameters;
    }

    private static ModelManifest.Lineage lineage(long seed) {
        return new ModelManifest.Lineage("shapes-" + seed + "-reference", null, null, null, null);
    }

    private static void publish(Path out, ModelManifest manifest, ModelStore.ModelWriter writer) {
        Path directory = new ModelStore(out.resolve("store")).publish(manifest, writer);
        System.out.println("published " + manifest.ref() + " in " + directory);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }
}
