package io.recap.ml.evaluation;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.recap.core.json.Json;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.training.TrainingProgress;
import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The Inception analogue behind FID and KID: an image encoder whose mean-pooled grid features are
 * the feature vectors whose distributions the metrics compare, trained once, supervised, to tell
 * which labels (words of the reference captions) an image shows, then frozen.
 *
 * <p>Inception earned its place in FID by classifying ImageNet: its features separate what people
 * name in images. Here the names are the words annotators use for the images of the evaluated world,
 * learned as independent yes/no questions (multi-label sigmoid cross-entropy), so the features
 * separate colours, shapes, counts and places as far as captions mention them; nothing about the
 * world is built in.
 *
 * <p>Saved as a directory holding {@value #CONFIG_FILE} and DJL's {@code feature-network-0000.params}.
 * Inference may not run while the network trains.
 */
public final class FeatureNetwork implements AutoCloseable {

    public static final String CONFIG_FILE = "feature-network.json";
    public static final String PARAMETERS_NAME = "feature-network";

    /**
     * What a saved network is.
     *
     * @param imageSize side of the square images the encoder reads; others are resized to it
     * @param width feature dimension
     * @param labels the labels the head scores, in output order
     */
    public record Config(int imageSize, int width, List<String> labels) {
        public Config {
            if (imageSize < 8 || width < 1) {
                throw new IllegalArgumentException("a feature network needs images of at least 8 pixels and width >= 1,"
                        + " got " + imageSize + " and " + width);
            }
            if (labels == null || labels.isEmpty() || new HashSet<>(labels).size() != labels.size()) {
                throw new IllegalArgumentException("a feature network needs distinct labels, got " + labels);
            }
            labels = List.copyOf(labels);
        }
    }

    private final Config config;
    private final Model model;

    private FeatureNetwork(Config config) {
        DjlRuntime.start();
        this.config = config;
        FeatureBlock block = new FeatureBlock(config.imageSize(), config.width(), config.labels().size());
        model = Model.newInstance(PARAMETERS_NAME);
        model.setBlock(block);
        BlockInitialization.initialize(block, model.getNDManager(),
                new Shape(1, 3, config.imageSize(), config.imageSize()));
    }

    /** A freshly initialised network whose weights depend only on {@code seed}. */
    public static FeatureNetwork create(int imageSize, int width, List<String> labels, long seed) {
        Config config = new Config(imageSize, width, labels);
        DjlRuntime.start();
        Engine.getInstance().setRandomSeed((int) seed);
        return new FeatureNetwork(config);
    }

    /** Loads a network written by {@link #save(Path)} (or published to a model store). */
    public static FeatureNetwork load(Path directory) throws IOException {
        Config config = Json.read(Files.readAllBytes(directory.resolve(CONFIG_FILE)), Config.class);
        FeatureNetwork network = new FeatureNetwork(config);
        try {
            network.model.load(directory, PARAMETERS_NAME);
        } catch (MalformedModelException | RuntimeException e) {
            network.close();
            throw new IOException("unreadable feature network parameters in " + directory + ": " + e.getMessage(), e);
        }
        return network;
    }

    /** Writes the configuration and parameters into {@code directory}, creating it. */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve(CONFIG_FILE), Json.writePretty(config));
        model.save(directory, PARAMETERS_NAME);
    }

    /**
     * Trains the network to predict each image's labels; labels outside {@link Config#labels()} are
     * ignored.
     *
     * @param images training images
     * @param labelsPerImage the labels each image shows, in the order of {@code images}
     * @param steps optimisation steps
     * @param batchSize images per step, drawn epoch by epoch
     * @param learningRate Adam's peak rate (warm-up, then cosine decay to a tenth of it)
     * @param seed batch order
     * @param progress receives a report every few steps and at the end
     */
    public TrainingReport train(List<BufferedImage> images, List<Set<String>> labelsPerImage, int steps,
            int batchSize, float learningRate, long seed, Consumer<TrainingProgress> progress) {
        requirePaired(images, labelsPerImage);
        ShuffledBatches batches = new ShuffledBatches(images.size(), batchSize, new SplittableRandom(seed));
        int size = config.imageSize();
        return EvaluatorTraining.run(model, Loss.sigmoidBinaryCrossEntropyLoss(), "evaluator/features", steps,
                learningRate, progress, trainer -> {
                    int[] batch = batches.next();
                    NDManager manager = trainer.getManager();
                    NDArray input = ImageTensors.toTensor(manager, ShuffledBatches.pick(images, batch), size);
                    NDArray targets = targets(manager, ShuffledBatches.pick(labelsPerImage, batch));
                    NDArray logits = trainer.forward(new NDList(input)).get(1);
                    return trainer.getLoss().evaluate(new NDList(targets), new NDList(logits));
                });
    }

    /** Feature vectors (one row of {@link Config#width()} values per image), the inputs of FID and KID. */
    public float[][] features(List<BufferedImage> images) {
        return forward(images, 0);
    }

    /** The labels each image shows with a predicted probability above one half. */
    public List<Set<String>> predictLabels(List<BufferedImage> images) {
        float[][] logits = forward(images, 1);
        List<String> labels = config.labels();
        List<Set<String>> predicted = new ArrayList<>(logits.length);
        for (float[] row : logits) {
            Set<String> shown = new LinkedHashSet<>();
            for (int l = 0; l < labels.size(); l++) {
                if (row[l] > 0) {
                    shown.add(labels.get(l));
                }
            }
            predicted.add(shown);
        }
        return predicted;
    }

    /**
     * Micro-averaged F1 of {@link #predictLabels} against {@code labelsPerImage}: how well the network
     * learned what it was trained on.
     */
    public float labelF1(List<BufferedImage> images, List<Set<String>> labelsPerImage) {
        requirePaired(images, labelsPerImage);
        return microF1(config.labels(), predictLabels(images), labelsPerImage);
    }

    /**
     * Micro-averaged F1 of predicted label sets against actual ones, counting only {@code labels}
     * (others are ignored); 1 when neither side names any of them.
     */
    public static float microF1(List<String> labels, List<Set<String>> predicted, List<Set<String>> actual) {
        if (predicted.size() != actual.size()) {
            throw new IllegalArgumentException("need one predicted label set per actual one, got " + predicted.size()
                    + " and " + actual.size());
        }
        long truePositives = 0;
        long predictions = 0;
        long shown = 0;
        for (int i = 0; i < predicted.size(); i++) {
            for (String label : labels) {
                boolean yes = predicted.get(i).contains(label);
                boolean truth = actual.get(i).contains(label);
                predictions += yes ? 1 : 0;
                shown += truth ? 1 : 0;
                truePositives += yes && truth ? 1 : 0;
            }
        }
        return predictions + shown == 0 ? 1f : (float) (2.0 * truePositives / (predictions + shown));
    }

    /** Output {@code output} of the block (0 features, 1 label logits) for every image. */
    private float[][] forward(List<BufferedImage> images, int output) {
        FeatureBlock block = (FeatureBlock) model.getBlock();
        return InferenceBatches.rows(model, images.size(), (manager, parameters, from, to) -> {
            NDArray input = ImageTensors.toTensor(manager, images.subList(from, to), config.imageSize());
            return block.forward(parameters, new NDList(input), false).get(output);
        });
    }

    /** Multi-hot (B, L) targets. */
    private NDArray targets(NDManager manager, List<Set<String>> labelSets) {
        List<String> labels = config.labels();
        float[] values = new float[labelSets.size() * labels.size()];
        for (int i = 0; i < labelSets.size(); i++) {
            for (int l = 0; l < labels.size(); l++) {
                values[i * labels.size() + l] = labelSets.get(i).contains(labels.get(l)) ? 1f : 0f;
            }
        }
        return manager.create(values, new Shape(labelSets.size(), labels.size()));
    }

    private static void requirePaired(List<BufferedImage> images, List<Set<String>> labelsPerImage) {
        if (images.isEmpty() || images.size() != labelsPerImage.size()) {
            throw new IllegalArgumentException("need one label set per image, got " + images.size() + " images and "
                    + labelsPerImage.size() + " label sets");
        }
    }

    public Config config() {
        return config;
    }

    /** A one-line description for a model manifest. */
    public String architecture() {
        int size = config.imageSize();
        return String.format(Locale.ROOT, "recap-features-v1: conv image encoder %dx%d -> %dx%d grid, base 16 channels,"
                + " width %d, mean-pooled features; linear multi-label head over %d labels, sigmoid cross-entropy",
                size, size, Math.max(1, size / 8), Math.max(1, size / 8), config.width(), config.labels().size());
    }

    @Override
    public void close() {
        model.close();
    }
}
