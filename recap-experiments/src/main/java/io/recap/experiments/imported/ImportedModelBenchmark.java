package io.recap.experiments.imported;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.captioner.TorchScriptCaptioner;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.diffusion.TextToImage;
import io.recap.ml.diffusion.TorchScriptPipeline;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.torchscript.TorchScriptGraphs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Captioning and sampling speed of imported TorchScript models against the platform's own models of a similar size,
 * on the same inputs and settings, in interleaved rounds (medians). Arguments: an imported captioner folder and an
 * imported pipeline folder (the test fixtures, for example).
 *
 * <pre>
 * java -Drecap.ml.threads=1 -cp recap-experiments/target/recap-experiments.jar \
 *   io.recap.experiments.imported.ImportedModelBenchmark \
 *   recap-ml/src/test/resources/torchscript/blip-hf-tiny recap-ml/src/test/resources/torchscript/sd-tiny [rounds]
 * </pre>
 */
public final class ImportedModelBenchmark {

    private static final int IMAGES = 32;
    private static final int CAPTION_TOKENS = 12;
    private static final int SAMPLES = 8;
    private static final int SAMPLING_STEPS = 10;
    /** The platform's captioner at about the imported fixture's size: width 32, one layer, 32x32 images. */
    private static final CaptionerConfig TINY_CAPTIONER = new CaptionerConfig(32, 4, 8, 32, 1, 2, 0.1f, 77);

    private ImportedModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DjlRuntime.start();
        Path captionerFolder = Path.of(args[0]);
        Path pipelineFolder = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<BufferedImage> images = images();
        // Every caption the same length: the search stops at the token limit, not at a random early end.
        DecodingOptions decoding = DecodingOptions.greedy().withMaxTokens(CAPTION_TOKENS).withMinWords(CAPTION_TOKENS);
        Vocabulary vocabulary = Vocabulary.build(List.of("a red circle", "two blue squares at the top left",
                "one green triangle in the middle on a white background"), List.of("short", "long"), 1);
        List<String> prompts = List.of("a red circle", "two blue squares", "a green triangle at the top",
                "one yellow cross");
        SamplingOptions sampling = new SamplingOptions(SAMPLING_STEPS, 3f, SAMPLES / prompts.size(), 1L);
        try (TorchScriptCaptioner imported = TorchScriptCaptioner.load(captionerFolder);
                CaptionerModel own = CaptionerModel.create(TINY_CAPTIONER, vocabulary, 1);
                TorchScriptPipeline pipeline = TorchScriptPipeline.load(pipelineFolder);
                DiffusionModel diffusion = DiffusionModel.create(DiffusionConfig.smoke(), vocabulary, 1)) {
            System.out.printf(Locale.ROOT, "captioners: imported %s (%,d parameters) against the platform's "
                    + "captioner at width 32 (%,d); %d images, greedy, %d tokens each%n", captionerFolder.getFileName(),
                    parameters(imported.graphs()), own.parameterCount(), IMAGES, decoding.maxTokens());
            compare(rounds, "images/s", m -> rate(IMAGES, () -> m.caption(images, "short", decoding)),
                    List.<Captioner>of(imported, own));
            System.out.printf(Locale.ROOT, "text-to-image: imported %s (%,d parameters, %dx%d) against the platform's "
                    + "smoke model (%,d, %dx%d); %d images, DDIM %d steps, guidance 3%n", pipelineFolder.getFileName(),
                    parameters(pipeline.graphs()), pipeline.imageSize(), pipeline.imageSize(), diffusion.parameterCount(),
                    diffusion.imageSize(), diffusion.imageSize(), SAMPLES, SAMPLING_STEPS);
            compare(rounds, "images/s", m -> rate(SAMPLES, () -> m.sample(prompts, sampling)),
                    List.<TextToImage>of(pipeline, diffusion));
        }
    }

    private static <M> void compare(int rounds, String unit, ToDoubleFunction<M> measure, List<M> models) {
        models.forEach(measure::applyAsDouble); // warm-up
        double[][] rates = new double[models.size()][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < models.size(); i++) {
                int which = round % 2 == 0 ? i : models.size() - 1 - i;
                rates[which][round] = measure.applyAsDouble(models.get(which));
            }
        }
        System.out.printf(Locale.ROOT, "  imported %.1f %s, platform %.1f %s (medians of %d rounds; ratio %.2f)%n",
                median(rates[0]), unit, median(rates[1]), unit, rounds, median(rates[0]) / median(rates[1]));
    }

    private static double rate(int items, Runnable work) {
        long begin = System.nanoTime();
        work.run();
        return items / ((System.nanoTime() - begin) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long parameters(TorchScriptGraphs graphs) {
        long count = 0;
        for (String graph : graphs.names()) {
            for (Pair<String, Parameter> parameter : graphs.block(graph).getParameters()) {
                count += parameter.getValue().getArray().getShape().size();
            }
        }
        return count;
    }

    private static List<BufferedImage> images() {
        Random random = new Random(5);
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = image.createGraphics();
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, 32, 32);
            graphics.setColor(colours[i % colours.length]);
            graphics.fillOval(random.nextInt(16), random.nextInt(16), 16, 16);
            graphics.dispose();
            images.add(image);
        }
        return images;
    }
}
