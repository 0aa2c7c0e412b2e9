package io.recap.ml.evaluation;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.core.json.Json;
import io.recap.ml.diffusion.ContrastiveBlock;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.training.TrainingProgress;
import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The CLIP analogue behind CLIP score: an image tower and a text tower ({@link ContrastiveBlock}, the
 * block the diffusion model's text encoder is pretrained with) trained with CLIP's symmetric InfoNCE
 * loss to embed matching images and captions close together, then frozen.
 *
 * <p>{@link #scores} follows torchmetrics' {@code CLIPScore}: {@code 100 * max(cos, 0)} of the image and
 * text embeddings (Hessel et al.'s CLIPScore multiplies by 2.5 instead; numbers from the two are not
 * comparable).
 *
 * <p>Saved as a directory holding {@value #CONFIG_FILE}, {@value Vocabulary#FILE_NAME} (a word-level
 * vocabulary of the training captions) and DJL's {@code contrastive-model-0000.params}. Inference may
 * not run while the model trains.
 */
public final class ContrastiveModel implements AutoCloseable {

    public static final String CONFIG_FILE = "contrastive-model.json";
    public static final String PARAMETERS_NAME = "contrastive-model";
    /** Images and texts per block within which {@link #retrievalAccuracy} retrieves, as CLIP-style evaluations report. */
    public static final int RETRIEVAL_BATCH = 32;
    /** Words seen fewer times in the training captions read as unknown: a single sighting teaches nothing. */
    private static final int MIN_WORD_COUNT = 2;

    /**
     * What a saved model is.
     *
     * @param imageSize side of the square images the image tower reads; others are resized to it
     * @param width token and embedding width of both towers
     * @param textLayers transformer layers of the text tower
     * @param textHeads attention heads per text layer
     * @param contextLength longest caption in tokens (with {@code <bos>} and {@code <eos>}); longer ones are cut
     */
    public record Config(int imageSize, int width, int textLayers, int textHeads, int contextLength) {
        public Config {
            if (imageSize < 8 || width < 1 || textLayers < 1 || textHeads < 1 || width % textHeads != 0
                    || contextLength < 3) {
                throw new IllegalArgumentException("invalid contrastive model: image " + imageSize + ", width " + width
                        + ", " + textLayers + " layers of " + textHeads + " heads (which must divide the width),"
                        + " context " + contextLength);
            }
        }

        /** A configuration with CLIP's 77-token context. */
        public static Config withClipContext(int imageSize, int width, int textLayers, int textHeads) {
            return new Config(imageSize, width, textLayers, textHeads, CaptionTokenizer.CLIP_CONTEXT);
        }
    }

    private final Config config;
    private final CaptionTokenizer tokenizer;
    private final Model model;
    private final ContrastiveBlock block;

    private ContrastiveModel(Config config, Vocabulary vocabulary) {
        DjlRuntime.start();
        this.config = config;
        tokenizer = new CaptionTokenizer(vocabulary, config.contextLength());
        block = new ContrastiveBlock(config.imageSize(), vocabulary.size(), config.width(), config.textLayers(),
                config.textHeads(), config.contextLength());
        model = Model.newInstance(PARAMETERS_NAME);
        model.setBlock(block);
        BlockInitialization.initialize(block, model.getNDManager(),
                new Shape(1, 3, config.imageSize(), config.imageSize()), new Shape(1, config.contextLength()));
    }

    /**
     * A freshly initialised model whose weights depend only on {@code seed}, reading the words that
     * occur at least twice in {@code trainingCaptions}.
     */
    public static ContrastiveModel create(Config config, Collection<String> trainingCaptions, long seed) {
        Vocabulary vocabulary = Vocabulary.build(trainingCaptions, List.of(), MIN_WORD_COUNT);
        DjlRuntime.start();
        Engine.getInstance().setRandomSeed((int) seed);
        return new ContrastiveModel(config, vocabulary);
    }

    /** Loads a model written by {@link #save(Path)} (or published to a model store). */
    public static ContrastiveModel load(Path directory) throws IOException {
        Config config = Json.read(Files.readAllBytes(directory.resolve(CONFIG_FILE)), Config.class);
        Vocabulary vocabulary = Vocabulary.load(directory.resolve(Vocabulary.FILE_NAME));
        ContrastiveModel loaded = new ContrastiveModel(config, vocabulary);
        try {
            loaded.model.load(directory, PARAMETERS_NAME);
        } catch (MalformedModelException | RuntimeException e) {
            loaded.close();
            throw new IOException("unreadable contrastive model parameters in " + directory + ": " + e.getMessage(), e);
        }
        return loaded;
    }

    /** Writes configuration, vocabulary and parameters into {@code directory}, creating it. */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve(CONFIG_FILE), Json.writePretty(config));
        tokenizer.vocabulary().save(directory.resolve(Vocabulary.FILE_NAME));
        model.save(directory, PARAMETERS_NAME);
    }

    /**
     * Trains both towers to pick each caption's image out of its batch and each image's caption out
     * of the batch's captions.
     *
     * @param images training images
     * @param captionsPerImage each image's captions; every step shows one of them, drawn at random
     * @param steps optimisation steps
     * @param batchSize distinct images per step, each the others' negatives
     * @param learningRate Adam's peak rate (warm-up, then cosine decay to a tenth of it)
     * @param seed batch order and caption draws
     * @param progress receives a report every few steps and at the end
     */
    public TrainingReport train(List<BufferedImage> images, List<List<String>> captionsPerImage, int steps,
            int batchSize, float learningRate, long seed, Consumer<TrainingProgress> progress) {
        if (images.size() != captionsPerImage.size() || captionsPerImage.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("need at least one caption for each image, got " + images.size()
                    + " images and " + captionsPerImage.size() + " caption lists");
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("contrastive batches need at least 2 images, got " + batchSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        ShuffledBatches batches = new ShuffledBatches(images.size(), batchSize, random);
        return EvaluatorTraining.run(model, new ContrastiveBlock.SymmetricInfoNce(), "evaluator/contrastive", steps,
                learningRate, progress, trainer -> {
                    int[] batch = batches.next();
                    List<String> captions = new ArrayList<>(batch.length);
                    for (int i : batch) {
                        List<String> options = captionsPerImage.get(i);
                        captions.add(options.get(random.nextInt(options.size())));
                    }
                    NDManager manager = trainer.getManager();
                    NDList inputs = new NDList(
                            ImageTensors.toTensor(manager, ShuffledBatches.pick(images, batch), config.imageSize()),
                            tokenize(manager, captions));
                    NDArray logits = trainer.forward(inputs).singletonOrThrow();
                    return trainer.getLoss().evaluate(new NDList(), new NDList(logits));
                });
    }

    /** Unit-length image embeddings, one row per image. */
    public float[][] imageEmbeddings(List<BufferedImage> images) {
        return InferenceBatches.rows(model, images.size(), (manager, parameters, from, to) -> block.imageEmbeddings(
                parameters, ImageTensors.toTensor(manager, images.subList(from, to), config.imageSize()), false));
    }

    /** Unit-length text embeddings, one row per text; words the training captions lacked read as unknown. */
    public float[][] textEmbeddings(List<String> texts) {
        return InferenceBatches.rows(model, texts.size(), (manager, parameters, from, to) ->
                block.textEmbeddings(parameters, tokenize(manager, texts.subList(from, to)), false));
    }

    /**
     * The CLIP score of each image with the text at the same index: {@code 100 * max(cos, 0)} of their
     * embeddings, as torchmetrics' {@code CLIPScore} (0 for unrelated, 100 for identical directions).
     */
    public double[] scores(List<BufferedImage> images, List<String> texts) {
        requirePaired(images, texts);
        float[][] pictures = imageEmbeddings(images);
        float[][] captions = textEmbeddings(texts);
        double[] scores = new double[pictures.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 100 * Math.max(0, dot(pictures[i], captions[i]));
        }
        return scores;
    }

    /**
     * The fraction of texts whose own image (same index) is the most similar one among the images of its
     * block of {@value #RETRIEVAL_BATCH} consecutive pairs (the last block may be smaller): text-to-image
     * top-1 retrieval, chance being one in the block size. Texts that fit several images of a block equally
     * well (duplicates) bound it below 1.
     */
    public float retrievalAccuracy(List<BufferedImage> images, List<String> texts) {
        requirePaired(images, texts);
        float[][] pictures = imageEmbeddings(images);
        float[][] captions = textEmbeddings(texts);
        int correct = 0;
        for (int from = 0; from < pictures.length; from += RETRIEVAL_BATCH) {
            int to = Math.min(pictures.length, from + RETRIEVAL_BATCH);
            for (int t = from; t < to; t++) {
                int best = from;
                double bestSimilarity = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    double similarity = dot(captions[t], pictures[i]);
                    if (similarity > bestSimilarity) {
                        bestSimilarity = similarity;
                        best = i;
                    }
                }
                correct += best == t ? 1 : 0;
            }
        }
        return (float) correct / pictures.length;
    }

    /** Right-padded token ids (B, L) without a style prefix, L the longest caption's length (at most the context). */
    private NDArray tokenize(NDManager manager, List<String> texts) {
        List<int[]> encoded = texts.stream().map(text -> tokenizer.encode(null, text)).toList();
        int length = encoded.stream().mapToInt(ids -> ids.length).max().orElse(1);
        return manager.create(CaptionTokenizer.padBatch(encoded, length), new Shape(texts.size(), length));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += (double) a[k] * b[k];
        }
        return sum;
    }

    private static void requirePaired(List<BufferedImage> images, List<String> texts) {
        if (images.isEmpty() || images.size() != texts.size()) {
            throw new IllegalArgumentException("need one text per image, got " + images.size() + " images and "
                    + texts.size() + " texts");
        }
    }

    public Config config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return tokenizer.vocabulary();
    }

    /** A one-line description for a model manifest. */
    public String architecture() {
        int size = config.imageSize();
        return String.format(Locale.ROOT, "recap-clip-v1: text transformer %dx%d (%d heads, %d tokens, %d-word"
                + " vocabulary, masked mean) + conv image encoder %dx%d -> %dx%d grid (mean), linear projections to"
                + " unit vectors, learned temperature, symmetric InfoNCE", config.textLayers(), config.width(),
                config.textHeads(), config.contextLength(), tokenizer.vocabulary().size(), size, size,
                Math.max(1, size / 8), Math.max(1, size / 8));
    }

    @Override
    public void close() {
        model.close();
    }
}
