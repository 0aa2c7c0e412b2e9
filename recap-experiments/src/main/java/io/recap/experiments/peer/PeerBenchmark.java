package io.recap.experiments.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.google.gson.GsonBuilder;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionExample;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.CaptionerTrainer;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The DJL side of the PyTorch peer benchmark ({@code recap-experiments/peer/run.sh}): times the
 * platform's own code paths for one network and writes, beside the timings, the network's weights
 * and one forward pass on fixed inputs, so the PyTorch peer can load the same weights and prove it
 * computes the same function before its times are compared.
 *
 * <p>{@code java -jar recap-experiments.jar --network t2i|captioner --out FILE.json --weights DIR
 * [--repeats 5] [--quick]} ({@code --profile DIR}: record op profiles instead; {@code --help}: the options and
 * their defaults). Threads come from {@code recap.ml.threads} (run.sh sets 1 and pins the
 * process to one core). Every op's runs are wall times in ms: a training run is the mean of
 * {@value #STEPS_PER_RUN} consecutive steps, every other run is one call.
 */
@Command(name = "PeerBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Times the platform's own code paths for one network and exports its weights and a check "
                + "pass for the PyTorch peer.")
public final class PeerBenchmark implements Callable<Integer> {

    static final int STEPS_PER_RUN = 10;
    /** Untimed calls before the timed ones of each inference op (see {@link #runs}). */
    static final double WARMUP_SECONDS = 8;
    /** The captioner's decoding length: a LONG-style caption of the small world, forced with minWords. */
    static final int CAPTION_WORDS = 12;
    static final String PROMPT = "a red circle in the top left corner and a blue square on the right";
    private static final List<String> CAPTION_VOCABULARY =
            java.util.stream.IntStream.range(0, 400).mapToObj(i -> "word" + i).toList();

    @Option(names = "--network", paramLabel = "t2i|captioner", description = "default ${DEFAULT-VALUE}")
    String network = "t2i";

    @Option(names = "--repeats", paramLabel = "N", description = "Timed runs per op; default ${DEFAULT-VALUE}.")
    int repeats = 5;

    @Option(names = "--quick", arity = "0..1", paramLabel = "true|false",
            description = "A few runs and short warm-ups, to check the benchmark itself.")
    boolean quick;

    @Option(names = "--weights", paramLabel = "DIR", description = "Where the weights and check pass are "
            + "exported; default target/peer-weights/NETWORK.")
    Path weights;

    @Option(names = "--out", paramLabel = "FILE.json", description = "default target/peer-NETWORK-djl.json")
    Path out;

    @Option(names = "--profile", paramLabel = "DIR", description = "Record each op's profile there instead of "
            + "timing (for profile_summary.py).")
    Path profile;

    @Spec
    CommandSpec spec;

    private PeerBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new PeerBenchmark());
    }

    @Override
    public Integer call() throws Exception {
        if (!network.equals("t2i") && !network.equals("captioner")) {
            throw new ParameterException(spec.commandLine(), "--network must be t2i or captioner: " + network);
        }
        Path weightsDir = weights != null ? weights : Path.of("target/peer-weights/" + network);
        Path outFile = out != null ? out : Path.of("target/peer-" + network + "-djl.json");
        DjlRuntime.start();
        if (profile != null) {
            Profiles.record(network, profile);
            return 0;
        }
        Map<String, Object> result = network.equals("t2i")
                ? textToImage(weightsDir, repeats, quick)
                : captioner(weightsDir, repeats, quick);
        Files.createDirectories(outFile.toAbsolutePath().getParent());
        Files.writeString(outFile, new GsonBuilder().setPrettyPrinting().create().toJson(result));
        System.out.println("wrote " + outFile);
        return 0;
    }

    private static Map<String, Object> textToImage(Path weights, int repeats, boolean quick) throws IOException {
        List<DiffusionExample> examples = textToImageExamples();
        Vocabulary vocabulary = ShapesWorldData.vocabulary(examples);
        Map<String, Object> result = header("t2i", vocabulary.size());
        Map<String, Object> ops = new LinkedHashMap<>();
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.small(), vocabulary, 1)) {
            count(result, model.getBlock().getParameters());
            exportWeights(model.getBlock().getParameters(), weights);
            exportDiffusionCheck(model, weights);
            double warmup = quick ? 0.5 : WARMUP_SECONDS;
            ops.put("t2i_forward_b2", forwardRuns(model, 2, quick ? 3 : 10 * repeats, warmup));
            ops.put("t2i_sample_b1", runs(quick ? 1 : repeats, warmup, () -> model.sample(List.of(PROMPT),
                    new SamplingOptions(SamplingOptions.DEFAULT_STEPS, SamplingOptions.DEFAULT_GUIDANCE, 1, 0))));
            ops.put("t2i_sample_b16", runs(quick ? 1 : repeats, 0, () -> model.sample(List.of(PROMPT),
                    new SamplingOptions(SamplingOptions.DEFAULT_STEPS, SamplingOptions.DEFAULT_GUIDANCE, 16, 0))));
            DiffusionTrainingPreset preset = DiffusionTrainingPreset.small()
                    .withSteps(1_000_000).withSchedule(1_000_000, 0, 0);
            try (DiffusionTrainer trainer = DiffusionTrainer.start(model, preset, CaptionMix.LONG_ONLY)) {
                int[] step = {quick ? 1 : 5};
                trainer.trainUntil(examples, step[0]);
                ops.put("t2i_train_step_b32", trainingRuns(quick ? 1 : repeats, () -> {
                    step[0] += STEPS_PER_RUN;
                    int skipped = trainer.trainUntil(examples, step[0]).skippedSteps();
                    result.merge("skipped_steps", skipped, (a, b) -> (Integer) a + (Integer) b);
                }));
            }
        }
        result.put("ops", ops);
        return result;
    }

    private static Map<String, Object> captioner(Path weights, int repeats, boolean quick) throws IOException {
        Vocabulary vocabulary = captionerVocabulary();
        Map<String, Object> result = header("captioner", vocabulary.size());
        Map<String, Object> ops = new LinkedHashMap<>();
        try (CaptionerModel captioner = CaptionerModel.create(CaptionerConfig.small(), vocabulary, 1)) {
            count(result, captioner.getBlock().getParameters());
            exportWeights(captioner.getBlock().getParameters(), weights);
            int size = captioner.getConfig().imageSize();
            exportCaptionerCheck(captioner, images(2, size), weights);
            DecodingOptions greedy = greedy(captioner);
            result.put("caption_tokens", greedy.maxTokens());
            List<BufferedImage> one = images(1, size);
            List<BufferedImage> batch = images(32, size);
            double warmup = quick ? 0.5 : WARMUP_SECONDS;
            ops.put("cap_greedy_b1", runs(quick ? 2 : 4 * repeats, warmup, () -> captioner.caption(one, "long", greedy)));
            // Its own warm-up too: decoding 32 rows runs Java loops over rows that one row never made hot.
            ops.put("cap_greedy_b32", runs(quick ? 1 : repeats, warmup, () -> captioner.caption(batch, "long", greedy)));
            CaptionBatchSource source = captionBatches(size);
            CaptionerTrainer trainer = new CaptionerTrainer(captioner, captionerRun(STEPS_PER_RUN));
            trainer.train(source);
            ops.put("cap_train_step_b32", trainingRuns(quick ? 1 : repeats, () -> trainer.train(source)));
        }
        result.put("ops", ops);
        return result;
    }

    /** The text-to-image side's data: 512 ShapesWorld scenes (its vocabulary sizes the network). */
    static List<DiffusionExample> textToImageExamples() {
        return ShapesWorldData.trainingExamples(11, 512, 32, 1, 4);
    }

    /** A vocabulary of ShapesWorld's size for the captioner: 400 words and three styles. */
    static Vocabulary captionerVocabulary() {
        return Vocabulary.build(CAPTION_VOCABULARY, List.of("short", "long", "terse"), 1);
    }

    /** Greedy decoding of exactly {@value #CAPTION_WORDS} words, so untrained weights do a trained model's work. */
    static DecodingOptions greedy(CaptionerModel captioner) {
        int maxTokens = captioner.getTokenizer().prompt("long").length + CAPTION_WORDS + 1;
        return new DecodingOptions(1, maxTokens, 1f, CAPTION_WORDS);
    }

    /** 64 scenes with random {@value #CAPTION_WORDS}-word LONG captions, shuffled into batches. */
    static CaptionBatchSource captionBatches(int imageSize) {
        List<CaptionExample> examples = new ArrayList<>();
        Random random = new Random(5);
        for (BufferedImage image : images(64, imageSize)) {
            StringBuilder caption = new StringBuilder();
            for (int w = 0; w < CAPTION_WORDS; w++) {
                caption.append(w == 0 ? "" : " ")
                        .append(CAPTION_VOCABULARY.get(random.nextInt(CAPTION_VOCABULARY.size())));
            }
            examples.add(new CaptionExample(image, "long", caption.toString()));
        }
        return CaptionBatchSource.shuffled(examples, 3);
    }

    /** The small captioner preset for {@code steps} steps, no warm-up of the rate, no progress lines. */
    static CaptionerTrainingPreset captionerRun(int steps) {
        CaptionerTrainingPreset small = CaptionerTrainingPreset.small();
        return new CaptionerTrainingPreset("peer", steps, small.batchSize(), small.learningRate(),
                small.finalLearningRate(), 0, small.maxGradientNorm(), small.dropout(), 1_000_000, small.seed());
    }

    private static Map<String, Object> header(String network, int vocabularySize) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("network", network);
        result.put("side", "djl");
        result.put("version", "DJL " + ai.djl.engine.Engine.getDjlVersion() + ", "
                + ai.djl.engine.Engine.getInstance().getEngineName() + " "
                + ai.djl.engine.Engine.getInstance().getVersion());
        result.put("threads", Integer.getInteger("recap.ml.threads", Runtime.getRuntime().availableProcessors()));
        result.put("vocabulary", vocabularySize);
        result.put("skipped_steps", 0);
        return result;
    }

    private static void count(Map<String, Object> result, PairList<String, Parameter> parameters) {
        long total = 0;
        for (Pair<String, Parameter> parameter : parameters) {
            total += parameter.getValue().getArray().size();
        }
        result.put("parameters", total);
        result.put("tensors", parameters.size());
    }

    /**
     * Wall times (ms) of {@code repeats} calls after at least one untimed call, and untimed calls
     * for {@code warmupSeconds}: the JVM compiles the Java side of a pass only after it has run many
     * times (docs/performance.md has what a cold start cost), which the PyTorch side, with no JIT,
     * does not need; its peers warm up as long to keep the protocol the same.
     */
    private static Map<String, Object> runs(int repeats, double warmupSeconds, Supplier<?> call) {
        long warmUntil = System.nanoTime() + (long) (warmupSeconds * 1e9);
        do {
            call.get();
        } while (System.nanoTime() < warmUntil);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long begin = System.nanoTime();
            call.get();
            times.add((System.nanoTime() - begin) / 1e6);
        }
        return summary(times);
    }

    /** Each run: {@value #STEPS_PER_RUN} training steps, reported as ms per step. */
    private static Map<String, Object> trainingRuns(int repeats, Runnable tenSteps) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long begin = System.nanoTime();
            tenSteps.run();
            times.add((System.nanoTime() - begin) / 1e6 / STEPS_PER_RUN);
        }
        return summary(times);
    }

    private static Map<String, Object> forwardRuns(DiffusionModel model, int batch, int repeats, double warmup) {
        int size = model.getConfig().imageSize();
        // Autograd off on this thread, as DiffusionModel.sample and every serving path turn it off.
        DjlRuntime.prepareCurrentThread();
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray ids = model.tokenize(manager, Collections.nCopies(batch, PROMPT));
            NDList text = model.getBlock().encodeText(parameters, ids, false);
            NDArray x = manager.randomNormal(new Shape(batch, 3, size, size));
            NDArray t = manager.full(new Shape(batch), 500f);
            return runs(repeats, warmup, () -> {
                try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                    scope.suppressNotUsedWarning();
                    return model.getBlock().denoise(parameters, x, t, text, false).toFloatArray();
                }
            });
        }
    }

    private static Map<String, Object> summary(List<Double> times) {
        List<Double> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("median_ms", median);
        summary.put("runs", times);
        return summary;
    }

    /**
     * {@code index.json} lists every parameter (DJL name, shape, float offset) in the block's
     * order; {@code weights.f32} holds them back to back as little-endian float32.
     */
    private static void exportWeights(PairList<String, Parameter> parameters, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Map<String, Object>> index = new ArrayList<>();
        long offset = 0;
        try (OutputStream out = Files.newOutputStream(directory.resolve("weights.f32"))) {
            for (Pair<String, Parameter> parameter : parameters) {
                NDArray array = parameter.getValue().getArray();
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", parameter.getKey());
                entry.put("shape", array.getShape().getShape());
                entry.put("offset", offset);
                index.add(entry);
                writeFloats(out, array.toFloatArray());
                offset += array.size();
            }
        }
        Files.writeString(directory.resolve("index.json"), new GsonBuilder().setPrettyPrinting().create().toJson(index));
    }

    /** Fixed inputs and the model's outputs on them: text tokens, then one UNet pass at batch 2. */
    private static void exportDiffusionCheck(DiffusionModel model, Path directory) throws IOException {
        int size = model.getConfig().imageSize();
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray ids = model.tokenize(manager, List.of(PROMPT, ""));
            NDList text = model.getBlock().encodeText(parameters, ids, false);
            NDArray x = manager.arange(2f * 3 * size * size).mul(0.37f).sin().reshape(2, 3, size, size);
            NDArray t = manager.create(new float[] {500f, 37f});
            NDArray out = model.getBlock().denoise(parameters, x, t, text, false);
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("token_ids", ids.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray());
            check.put("token_shape", ids.getShape().getShape());
            check.put("x", "sin(0.37 * arange(2*3*S*S)) reshaped (2, 3, S, S)");
            check.put("t", t.toFloatArray());
            check.put("image_size", size);
            Files.writeString(directory.resolve("check.json"), new GsonBuilder().create().toJson(check));
            try (OutputStream stream = Files.newOutputStream(directory.resolve("check-text.f32"))) {
                writeFloats(stream, text.get(0).toFloatArray());
            }
            try (OutputStream stream = Files.newOutputStream(directory.resolve("check-output.f32"))) {
                writeFloats(stream, out.toFloatArray());
            }
        }
    }

    /** Fixed images and teacher-forced tokens, and the decoder's logits on them. */
    private static void exportCaptionerCheck(CaptionerModel captioner, List<BufferedImage> images, Path directory)
            throws IOException {
        int size = captioner.getConfig().imageSize();
        try (NDManager manager = captioner.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray pixels = ImageTensors.toTensor(manager, images, size);
            int[] prompt = captioner.getTokenizer().prompt("long");
            long[] tokens = new long[2 * 8];
            for (int row = 0; row < 2; row++) {
                for (int i = 0; i < 8; i++) {
                    tokens[row * 8 + i] = i < prompt.length ? prompt[i] : 5 + (row * 31 + i * 7) % 300;
                }
            }
            NDArray ids = manager.create(tokens, new Shape(2, 8));
            NDArray logits = captioner.getBlock().forward(parameters, new NDList(pixels, ids), false).singletonOrThrow();
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("token_ids", tokens);
            check.put("token_shape", new long[] {2, 8});
            check.put("image_shape", pixels.getShape().getShape());
            check.put("logits_shape", logits.getShape().getShape());
            Files.writeString(directory.resolve("check.json"), new GsonBuilder().create().toJson(check));
            try (OutputStream stream = Files.newOutputStream(directory.resolve("check-images.f32"))) {
                writeFloats(stream, pixels.toFloatArray());
            }
            try (OutputStream stream = Files.newOutputStream(directory.resolve("check-output.f32"))) {
                writeFloats(stream, logits.toFloatArray());
            }
        }
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    /** Deterministic scenes: a few coloured discs and squares on a grey background. */
    static List<BufferedImage> images(int count, int size) {
        Random random = new Random(42);
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA};
        List<BufferedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(0, 0, size, size);
            for (int shape = 0; shape < 1 + random.nextInt(3); shape++) {
                g.setColor(colours[random.nextInt(colours.length)]);
                int side = size / 6 + random.nextInt(size / 4);
                int x = random.nextInt(size - side);
                int y = random.nextInt(size - side);
                if (random.nextBoolean()) {
                    g.fillOval(x, y, side, side);
                } else {
                    g.fillRect(x, y, side, side);
                }
            }
            g.dispose();
            images.add(image);
        }
        return images;
    }
}
