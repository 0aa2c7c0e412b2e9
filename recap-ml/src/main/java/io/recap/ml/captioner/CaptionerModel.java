package io.recap.ml.captioner;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.nn.BlockInitialization;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A captioner ready to train or caption: the DJL {@link Model} holding a {@link CaptionerBlock},
 * its configuration and its vocabulary.
 *
 * <p>A saved captioner is a directory with {@value #CONFIG_FILE}, {@value Vocabulary#FILE_NAME}
 * and DJL's {@code captioner-0000.params}. Decoding may run from several threads at once, but
 * not while the model trains.
 */
public final class CaptionerModel implements Captioner {

    public static final String CONFIG_FILE = "captioner-config.json";
    public static final String PARAMETERS_NAME = "captioner";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Model model;
    private final CaptionerBlock block;
    private final CaptionTokenizer tokenizer;

    private CaptionerModel(CaptionerConfig config, Vocabulary vocabulary) {
        DjlRuntime.start();
        this.tokenizer = new CaptionTokenizer(vocabulary, config.maxTokens());
        this.block = new CaptionerBlock(config, vocabulary.size());
        this.model = Model.newInstance(PARAMETERS_NAME);
        model.setBlock(block);
        BlockInitialization.initialize(block, model.getNDManager(),
                new Shape(1, 3, config.imageSize(), config.imageSize()), new Shape(1, config.maxTokens()));
    }

    /** A freshly initialised captioner. */
    public static CaptionerModel create(CaptionerConfig config, Vocabulary vocabulary) {
        return new CaptionerModel(config, vocabulary);
    }

    /** A freshly initialised captioner whose initial weights depend only on {@code seed}. */
    public static CaptionerModel create(CaptionerConfig config, Vocabulary vocabulary, int seed) {
        DjlRuntime.start();
        Engine.getInstance().setRandomSeed(seed);
        return new CaptionerModel(config, vocabulary);
    }

    /** Loads a captioner saved with {@link #save(Path)}. */
    public static CaptionerModel load(Path directory) throws IOException {
        CaptionerConfig config = GSON.fromJson(
                Files.readString(directory.resolve(CONFIG_FILE), StandardCharsets.UTF_8), CaptionerConfig.class);
        Vocabulary vocabulary = Vocabulary.load(directory.resolve(Vocabulary.FILE_NAME));
        CaptionerModel captioner = new CaptionerModel(config, vocabulary);
        try {
            captioner.model.load(directory, PARAMETERS_NAME);
        } catch (MalformedModelException e) {
            captioner.close();
            throw new IOException("unreadable captioner parameters in " + directory, e);
        }
        return captioner;
    }

    /** Writes configuration, vocabulary and parameters into {@code directory}, creating it. */
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(CONFIG_FILE), GSON.toJson(getConfig()), StandardCharsets.UTF_8);
        tokenizer.vocabulary().save(directory.resolve(Vocabulary.FILE_NAME));
        model.save(directory, PARAMETERS_NAME);
    }

    /** Greedy captions, one per image, in the given style. */
    public List<String> greedy(List<BufferedImage> images, String style) {
        return texts(caption(images, style, DecodingOptions.greedy()));
    }

    /** Beam-search captions (length-normalised), one per image, in the given style. */
    public List<String> beam(List<BufferedImage> images, String style, int beamSize) {
        return texts(caption(images, style, DecodingOptions.beam(beamSize)));
    }

    /**
     * Decodes one caption per image, all images in one batch. The style must be one the
     * vocabulary was built with (for example {@code short} or {@code long}).
     */
    @Override
    public List<GeneratedCaption> caption(List<BufferedImage> images, String style, DecodingOptions options) {
        // A worker or request thread has PyTorch's autograd on: every pass would record a graph.
        DjlRuntime.prepareCurrentThread();
        if (images.isEmpty()) {
            return List.of();
        }
        int[] prompt = tokenizer.prompt(style);
        BeamSearch search = new BeamSearch(tokenizer, options.withMaxTokens(
                Math.min(options.maxTokens(), getConfig().maxTokens())));
        // Every array of the call lives in this manager and scope; nothing outlives the call.
        try (NDManager manager = model.getNDManager().newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray imageTokens = block.encodeImages(
                    parameters, ImageTensors.toTensor(manager, images, getConfig().imageSize()), false);
            return search.decode((imageOfRow, sequences) -> {
                try (NDScope step = new NDScope()) {
                    step.suppressNotUsedWarning();
                    return nextLogProbabilities(manager, parameters, imageTokens, imageOfRow, sequences);
                }
            }, images.size(), prompt);
        }
    }

    private float[][] nextLogProbabilities(
            NDManager manager, ParameterStore parameters, NDArray imageTokens, int[] imageOfRow, int[][] sequences) {
        int rows = sequences.length;
        int length = sequences[0].length;
        long[] tokens = new long[rows * length];
        boolean identity = rows == imageTokens.getShape().get(0);
        long[] imageIndex = new long[rows];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                tokens[r * length + t] = sequences[r][t];
            }
            imageIndex[r] = imageOfRow[r];
            identity &= imageOfRow[r] == r;
        }
        NDArray context = identity ? imageTokens : imageTokens.get(new NDIndex("{}", manager.create(imageIndex)));
        NDArray logits = block.decode(parameters, context, manager.create(tokens, new Shape(rows, length)), false);
        float[] flat = logits.get(new NDIndex(":, -1, :")).logSoftmax(-1).toFloatArray();
        int vocabularySize = flat.length / rows;
        float[][] result = new float[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = java.util.Arrays.copyOfRange(flat, r * vocabularySize, (r + 1) * vocabularySize);
        }
        return result;
    }

    private static List<String> texts(List<GeneratedCaption> captions) {
        return captions.stream().map(GeneratedCaption::text).collect(Collectors.toList());
    }

    @Override
    public int inputSize() {
        return getConfig().imageSize();
    }

    @Override
    public List<String> styles() {
        return getVocabulary().styles();
    }

    /** Number of trainable weights. */
    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            count += parameter.getValue().getArray().getShape().size();
        }
        return count;
    }

    public Model getModel() {
        return model;
    }

    public CaptionerBlock getBlock() {
        return block;
    }

    public CaptionerConfig getConfig() {
        return block.getConfig();
    }

    public CaptionTokenizer getTokenizer() {
        return tokenizer;
    }

    public Vocabulary getVocabulary() {
        return tokenizer.vocabulary();
    }

    @Override
    public void close() {
        model.close();
    }
}
