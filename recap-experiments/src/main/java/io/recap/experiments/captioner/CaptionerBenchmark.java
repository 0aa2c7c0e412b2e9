package io.recap.experiments.captioner;

import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.runtime.EngineInfo;
import io.recap.ml.text.Vocabulary;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures batched captioning throughput (images/s) on this machine; prints a table, asserts
 * nothing.
 *
 * <p>Options, all optional: {@code --config small|smoke|defaults},
 * {@code --model DIR} (a saved captioner; otherwise untrained weights), {@code --batches 1,8,32},
 * {@code --words 12} (caption length forced with {@code minWords} and {@code maxTokens}, so an
 * untrained model does the same work as a trained one; 0 lets a trained model stop by itself),
 * {@code --style short}, {@code --beam 3}, {@code --seconds 3}, {@code --images DIR} (PNGs to caption, e.g. a
 * ShapesWorld corpus's {@code images/}; otherwise synthetic discs), {@code --slices 1} (each batch cut
 * into that many slices decoded at once, each on one thread with its share of the cores, as
 * caption-service's {@code recap.caption.workers} decodes a batch). {@code --help} lists them with their defaults.
 */
@Command(name = "CaptionerBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures batched captioning throughput (images/s) on this machine.")
public final class CaptionerBenchmark implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "small|smoke|defaults",
            description = "The architecture of the untrained captioner; default ${DEFAULT-VALUE}.")
    String config = "small";

    @Option(names = "--model", paramLabel = "DIR", description = "A saved captioner instead of untrained weights.")
    Path model;

    @Option(names = "--batches", paramLabel = "N[,N...]", split = ",",
            description = "Batch sizes to time; default 1,8,32.")
    int[] batches = {1, 8, 32};

    @Option(names = "--words", paramLabel = "N", description = "Words per caption, forced (0: the model stops by "
            + "itself); default ${DEFAULT-VALUE}.")
    int words = 12;

    @Option(names = "--style", paramLabel = "STYLE", description = "Caption style; default: the vocabulary's first.")
    String style;

    @Option(names = "--beam", paramLabel = "N", description = "Beam width of the beam column; default ${DEFAULT-VALUE}.")
    int beam = 3;

    @Option(names = "--seconds", paramLabel = "S", description = "Time per measurement; default ${DEFAULT-VALUE}.")
    double seconds = 3;

    @Option(names = "--images", paramLabel = "DIR", description = "PNGs to caption instead of synthetic discs.")
    Path images;

    @Option(names = "--slices", paramLabel = "N", description = "Slices each batch is cut into and decoded at "
            + "once; default ${DEFAULT-VALUE}.")
    int slices = 1;

    private CaptionerBenchmark() {
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
        return new CommandLine(new CaptionerBenchmark());
    }

    @Override
    public Integer call() throws Exception {
        DjlRuntime.shareCoresAmong(slices);
        EngineInfo engine = DjlRuntime.start();
        try (CaptionerModel captioner = open()) {
            String captionStyle = style != null ? style : captioner.getVocabulary().styles().get(0);
            int maxTokens = words == 0
                    ? captioner.getConfig().maxTokens()
                    : captioner.getTokenizer().prompt(captionStyle).length + words + 1;
            System.out.printf("engine: %s%ncaptioner: %s, %,d parameters, style <%s>, %s words per caption, %d slice(s) per batch%n",
                    engine, captioner.getConfig(), captioner.parameterCount(), captionStyle,
                    words == 0 ? "natural" : words, slices);
            System.out.printf("%6s %16s %16s%n", "batch", "greedy img/s", "beam-" + beam + " img/s");
            for (int batch : batches) {
                List<BufferedImage> batchImages = images != null
                        ? images(images, batch)
                        : images(batch, captioner.getConfig().imageSize(), batch);
                DecodingOptions greedy = new DecodingOptions(1, maxTokens, 1f, words);
                DecodingOptions beamSearch = new DecodingOptions(beam, maxTokens, 1f, words);
                System.out.printf("%6d %16.1f %16.1f%n", batch,
                        imagesPerSecond(captioner, batchImages, captionStyle, greedy, seconds, slices),
                        imagesPerSecond(captioner, batchImages, captionStyle, beamSearch, seconds, slices));
            }
        }
        return 0;
    }

    private CaptionerModel open() throws Exception {
        if (model != null) {
            return CaptionerModel.load(model);
        }
        CaptionerConfig captionerConfig = switch (config) {
            case "smoke" -> CaptionerConfig.smoke();
            case "defaults" -> CaptionerConfig.defaults();
            default -> CaptionerConfig.small();
        };
        // A vocabulary of realistic size for ShapesWorld-like captions.
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            corpus.add("word" + i);
        }
        return CaptionerModel.create(captionerConfig, Vocabulary.build(corpus, List.of("short", "long", "terse"), 1), 1);
    }

    private static double imagesPerSecond(CaptionerModel captioner, List<BufferedImage> images, String style,
            DecodingOptions options, double seconds, int slices) {
        ExecutorService sliceThreads = Executors.newFixedThreadPool(Math.max(1, slices - 1));
        try {
            Captioner.SliceListener ignore = (from, captions) -> { };
            // warm-up: first calls allocate and pick kernels
            captioner.captionInSlices(images, style, options, slices, sliceThreads, ignore);
            int captioned = 0;
            long begin = System.nanoTime();
            do {
                captioner.captionInSlices(images, style, options, slices, sliceThreads, ignore);
                captioned += images.size();
            } while (System.nanoTime() - begin < seconds * 1e9);
            return captioned / ((System.nanoTime() - begin) / 1e9);
        } finally {
            sliceThreads.shutdown();
        }
    }

    /** The first {@code count} PNGs of a directory, in name order. */
    private static List<BufferedImage> images(Path directory, int count) throws java.io.IOException {
        List<BufferedImage> images = new ArrayList<>(count);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".png")).sorted().limit(count).toList()) {
                images.add(javax.imageio.ImageIO.read(file.toFile()));
            }
        }
        if (images.size() < count) {
            throw new IllegalArgumentException("fewer than " + count + " PNG images in " + directory);
        }
        return images;
    }

    private static List<BufferedImage> images(int count, int size, long seed) {
        Random random = new Random(seed);
        List<BufferedImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.LIGHT_GRAY);
            g.fillRect(0, 0, size, size);
            g.setColor(new Color(random.nextInt(0xFFFFFF)));
            g.fillOval(random.nextInt(size / 2), random.nextInt(size / 2), size / 3, size / 3);
            g.dispose();
            images.add(image);
        }
        return images;
    }
}
