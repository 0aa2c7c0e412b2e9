package io.recap.ml.diffusion;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import java.util.Collections;
import java.util.List;

/**
 * A text-to-image diffusion model ready to sample or train: the DJL {@link Model} holding a
 * {@link TextToImageBlock}, its configuration, vocabulary and noise schedule.
 *
 * <p>A saved model is a directory with {@value #CONFIG_FILE}, {@value Vocabulary#FILE_NAME} and
 * DJL's {@code text-to-image-0000.params}. Published models hold their EMA weights there, the
 * ones to sample with. Sampling may run from several threads at once, but not while the model
 * trains.
 */
public final class DiffusionModel extends ChunkedSampler {

    public static final String CONFIG_FILE = "diffusion-config.json";
    public static final String PARAMETERS_NAME = "text-to-image";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final Model model;
    private final TextToImageBlock block;
    private final CaptionTokenizer tokenizer;
    private final NoiseSchedule schedule;

    private DiffusionModel(DiffusionConfig config, Vocabulary vocabulary) {
        DjlRuntime.start();
        tokenizer = new CaptionTokenizer(vocabulary, config.contextLength());
        schedule = new NoiseSchedule(config.diffusionSteps());
        block = new TextToImageBlock(config, vocabulary.size());
        model = Model.newInstance(PARAMETERS_NAME);
        model.setBlock(block);
        int size = config.imageSize();
        BlockInitialization.initialize(block, model.getNDManager(), new Shape(1, 3, size, size), new Shape(1),
                new Shape(1, config.contextLength()));
    }

    /** A freshly initialised model whose initial weights depend only on {@code seed}. */
    public static DiffusionModel create(DiffusionConfig config, Vocabulary vocabulary, long seed) {
        DjlRuntime.start();
        Engine.getInstance().setRandomSeed((int) seed);
        return new DiffusionModel(config, vocabulary);
    }

    /** Loads a model saved with {@link #save(Path)} (or published to a model store). */
    public static DiffusionModel load(Path directory) throws IOException {
        return load(directory, PARAMETERS_NAME);
    }

    static DiffusionModel load(Path directory, String parametersName) throws IOException {
        DiffusionConfig config = GSON.fromJson(
                Files.readString(directory.resolve(CONFIG_FILE), StandardCharsets.UTF_8), DiffusionConfig.class);
        Vocabulary vocabulary = Vocabulary.load(directory.resolve(Vocabulary.FILE_NAME));
        DiffusionModel loaded = new DiffusionModel(config, vocabulary);
        try {
            loaded.loadParameters(directory, parametersName);
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
        return loaded;
    }

    /** Writes configuration, vocabulary and parameters into {@code directory}, creating it. */
    public void save(Path directory) throws IOException {
        save(directory, PARAMETERS_NAME);
    }

    void save(Path directory, String parametersName) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(CONFIG_FILE), GSON.toJson(getConfig()), StandardCharsets.UTF_8);
        tokenizer.vocabulary().save(directory.resolve(Vocabulary.FILE_NAME));
        model.save(directory, parametersName);
    }

    void loadParameters(Path directory, String parametersName) throws IOException {
        try {
            model.load(directory, parametersName);
        } catch (MalformedModelException e) {
            throw new IOException("unreadable text-to-image parameters in " + directory, e);
        }
    }

    /** {@code count} images per prompt: DDIM with {@code steps}, guidance weight {@code guidance}. */
    public List<BufferedImage> sample(List<String> prompts, long seed, int steps, float guidance, int count) {
        return sample(prompts, new SamplingOptions(steps, guidance, count, seed));
    }

    @Override
    NDManager chunkManager() {
        return model.getNDManager().newSubManager();
    }

    @Override
    List<BufferedImage> sampleChunk(NDManager manager, List<NoiseRow> chunk, int steps, float guidance) {
        NDArray noise = initialNoise(manager, chunk);
        NDArray promptIds = tokenize(manager, chunk.stream().map(NoiseRow::prompt).toList());
        NDArray emptyIds = tokenize(manager, Collections.nCopies(chunk.size(), ""), (int) promptIds.getShape().get(1));
        NDArray result = new DdimSampler(block, schedule, getConfig().prediction())
                .sample(new ParameterStore(manager, false), noise, promptIds, emptyIds, steps, guidance);
        return ImageTensors.toImages(result);
    }

    @Override
    public int imageSize() {
        return getConfig().imageSize();
    }

    @Override
    public int promptTokens(String prompt) {
        return tokenizer.countTokens(null, prompt);
    }

    @Override
    public int contextLength() {
        return tokenizer.contextLength();
    }

    /** Standard normal noise for the rows, each image from its own seeded stream. */
    NDArray initialNoise(NDManager manager, List<NoiseRow> rows) {
        return SeededNoise.gaussian(manager, rows, 3, getConfig().imageSize());
    }

    /**
     * Token ids (B, L) of prompts without a style prefix, truncated to the context length and
     * right-padded to the longest of them. Padding is masked everywhere, so it changes nothing
     * but the cost: most prompts are far shorter than the 77-token context.
     */
    public NDArray tokenize(NDManager manager, List<String> prompts) {
        return tokenize(manager, prompts, 0);
    }

    /** As {@link #tokenize(NDManager, List)}, padded to at least {@code minimumLength}. */
    public NDArray tokenize(NDManager manager, List<String> prompts, int minimumLength) {
        List<int[]> encoded = new ArrayList<>(prompts.size());
        int length = Math.min(minimumLength, getConfig().contextLength());
        for (String prompt : prompts) {
            int[] ids = tokenizer.encode(null, prompt);
            encoded.add(ids);
            length = Math.max(length, ids.length);
        }
        return manager.create(CaptionTokenizer.padBatch(encoded, length), new Shape(prompts.size(), length));
    }

    /** Copies every parameter value of {@code source} (same architecture) into this model. */
    public void copyWeightsFrom(DiffusionModel source) {
        BlockInitialization.copyParameters(source.block, block);
    }

    /** Number of trainable weights (text encoder and UNet). */
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

    public TextToImageBlock getBlock() {
        return block;
    }

    public DiffusionConfig getConfig() {
        return block.getConfig();
    }

    public NoiseSchedule getSchedule() {
        return schedule;
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
