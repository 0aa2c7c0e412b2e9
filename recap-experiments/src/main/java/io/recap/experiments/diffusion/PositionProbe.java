package io.recap.experiments.diffusion;

import io.recap.core.domain.CaptionMix;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.diffusion.SampleSheet;
import io.recap.ml.image.DominantColour;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.text.Vocabulary;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Background;
import io.recap.shapes.scene.Cell;
import io.recap.shapes.scene.Colour;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionWriter;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Does the model learn <em>where</em> from text? One object per image, in one of the 3x3 cells;
 * after every {@code --every} training steps, 18 held-out prompts (two per cell) x 2 samples, each
 * scored by whether the prompted cell holds the most foreground (pixels away from the image's
 * most common colour). Chance is 1 in 9 (4 of 36). The data and prompt modes take ShapesWorld
 * apart one difference at a time, which is how docs/diffusion found what blocks position:
 *
 * <ul>
 *   <li>{@code --data toy}: a white square on black; {@code toy-colour}: the square in a ShapesWorld
 *       colour on a ShapesWorld background; {@code shapes-bw}: ShapesWorld shapes and sizes, white on
 *       black; {@code shapes}: ShapesWorld 1-object scenes as rendered.</li>
 *   <li>{@code --prompt cell}: only the cell ("at the top left"); {@code cell-varied}: only the cell,
 *       worded as LONG captions word it ("in the upper-left corner", "at the top"); {@code describe}: "a red square at
 *       the top left on a black background", one fixed phrasing that always says "square", even for
 *       ShapesWorld's other shapes; {@code describe-varied}: the same with the position worded as LONG
 *       captions word it; {@code long}: the scene's LONG caption ({@code shapes} data only);
 *       {@code long-one-wording}: LONG captions all written with one seed, so frame, size word and
 *       position phrase are worded the same way wherever the scene allows.</li>
 * </ul>
 *
 * <p>{@code PositionProbe [--data shapes] [--prompt cell] [--model small] [--steps 1050] [--every 350]
 * [--foreground-weight 10] [--square 6] [--text-width 64] [--text-layers 2] [--attention 2]
 * [--guidance 1.5,3] [--text-pretrain 0] [--out /tmp/position-probe]} ({@code --guidance}: the scales every checkpoint is sampled
 * and scored at; {@code --square}: the toy square's side in pixels, a fifth of the image by
 * default; {@code --text-width}/{@code --text-layers}/{@code --attention}: the text encoder and the UNet levels
 * with a spatial transformer, the model's by default; {@code --text-pretrain}: steps of
 * {@link io.recap.ml.diffusion.ContrastiveTextPretraining} before diffusion training, 0 by default;
 * {@code --help}: every option and its default).
 */
public final class PositionProbe {

    private static final int TRAIN_IMAGES = 6000;
    private static final long TRAIN_SEED = 1;
    private static final long EVAL_SEED = 777;

    private final String data;
    private final String promptMode;
    private final int size;
    private final int squareSide;
    private final Random random = new Random(TRAIN_SEED);

    private PositionProbe(String data, String promptMode, int size, int squareSide) {
        this.data = data;
        this.promptMode = promptMode;
        this.size = size;
        this.squareSide = squareSide;
        if (promptMode.startsWith("long") && !data.equals("shapes")) {
            throw new IllegalArgumentException("--prompt long needs --data shapes");
        }
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
        return new CommandLine(new Cli());
    }

    /** The probe's command line. */
    @Command(name = "PositionProbe", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Does the model learn where from text? Trains on one-object scenes and scores whether "
                    + "the prompted cell holds the object.")
    static final class Cli implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", paramLabel = "toy|toy-colour|shapes-bw|shapes", description = "default ${DEFAULT-VALUE}")
        String data = "shapes";

        @Option(names = "--prompt", paramLabel = "MODE", description = "cell, cell-varied, describe, describe-varied, "
                + "long or long-one-wording; default ${DEFAULT-VALUE}.")
        String prompt = "cell";

        @Option(names = "--model", paramLabel = "NAME", description = "The architecture; default ${DEFAULT-VALUE}.")
        String model = "small";

        @Option(names = "--steps", paramLabel = "N", description = "Training steps; default ${DEFAULT-VALUE}.")
        int steps = 1050;

        @Option(names = "--every", paramLabel = "N", description = "Score every N steps; default ${DEFAULT-VALUE}.")
        int every = 350;

        @Option(names = "--foreground-weight", paramLabel = "W",
                description = "Loss weight of foreground pixels; default ${DEFAULT-VALUE}.")
        float foregroundWeight = DiffusionTrainingPreset.FOREGROUND_WEIGHT;

        @Option(names = "--square", paramLabel = "PIXELS",
                description = "The toy square's side; default: a fifth of the image.")
        Integer square;

        @Option(names = "--text-width", paramLabel = "N", description = "default: the model's")
        Integer textWidth;

        @Option(names = "--text-layers", paramLabel = "N", description = "default: the model's")
        Integer textLayers;

        @Option(names = "--attention", paramLabel = "LEVEL[,LEVEL...]",
                description = "UNet levels with a spatial transformer; default: the model's.")
        String attention = "";

        @Option(names = "--guidance", paramLabel = "W[,W...]",
                description = "Scales every checkpoint is sampled and scored at; default ${DEFAULT-VALUE}.")
        String guidance = "1.5";

        // 0 unless asked: the rows in docs/diffusion without it were measured before it existed.
        @Option(names = "--text-pretrain", paramLabel = "N",
                description = "Contrastive text-encoder steps before diffusion training; default ${DEFAULT-VALUE}.")
        int textPretrain;

        @Option(names = "--out", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
        Path out = Path.of("/tmp/position-probe");

        @Override
        public Integer call() throws Exception {
            DiffusionConfig config;
            PositionProbe probe;
            float[] guidances;
            try {
                DiffusionConfig named = DiffusionConfig.byName(model);
                config = named.withTextEncoder(textWidth != null ? textWidth : named.textWidth(),
                        textLayers != null ? textLayers : named.textLayers())
                        .withAttentionLevels(DiffusionExperiment.attentionLevels(attention, named));
                probe = new PositionProbe(data, prompt, config.imageSize(),
                        square != null ? square : config.imageSize() / 5);
                guidances = parseGuidances(guidance);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            DjlRuntime.start();
            DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(steps).withSchedule(100, 0, 0)
                    .withForegroundWeight(foregroundWeight)
                    .withTextPretraining(textPretrain);
            Files.createDirectories(out);
            probe.run(config, preset, every, guidances, out);
            return 0;
        }
    }

    private static float[] parseGuidances(String option) {
        String[] parts = option.split(",");
        float[] guidances = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            guidances[i] = Float.parseFloat(parts[i].trim());
        }
        return guidances;
    }

    private void run(DiffusionConfig config, DiffusionTrainingPreset preset, int every, float[] guidances, Path out)
            throws Exception {
        List<DiffusionExample> examples = new ArrayList<>(TRAIN_IMAGES);
        SceneGenerator generator = new SceneGenerator(1, 1);
        for (int i = 0; i < TRAIN_IMAGES; i++) {
            examples.add(example(generator.scene(TRAIN_SEED, i), SceneGenerator.sceneSeed(TRAIN_SEED, i)));
        }
        List<String> prompts = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        int[] perCell = new int[Cell.values().length];
        for (int i = 0; prompts.size() < 2 * perCell.length; i++) {
            Scene scene = generator.scene(EVAL_SEED, i);
            Cell cell = scene.objects().get(0).cell();
            if (perCell[cell.ordinal()]++ < 2) {
                // Colours cycle with the prompt's index, so every cell is asked for in two colours.
                prompts.add(prompt(scene, SceneGenerator.sceneSeed(EVAL_SEED, i), cell,
                        Colour.values()[prompts.size() % Colour.values().length],
                        Background.values()[prompts.size() % Background.values().length]));
                cells.add(cell);
            }
        }
        Vocabulary vocabulary = Vocabulary.build(examples.stream().map(DiffusionExample::longCaption).toList(),
                List.of(), 1);
        String name = data + "-" + promptMode
                + (preset.textPretrainSteps() > 0 ? "-contrastive-" + preset.textPretrainSteps() : "");
        try (DiffusionTrainer trainer = DiffusionTrainer.create(config, vocabulary, 7, preset, CaptionMix.LONG_ONLY)) {
            for (int stop = Math.min(every, preset.steps()); ; stop = Math.min(preset.steps(), stop + every)) {
                trainer.trainUntil(examples, stop);
                for (float guidance : guidances) {
                    score(trainer, prompts, cells, guidance, name + " step " + stop
                            + (guidance == guidances[0] ? "" : " w " + guidance), out);
                }
                if (stop >= preset.steps()) {
                    break;
                }
            }
        }
    }

    private DiffusionExample example(Scene scene, long sceneSeed) {
        SceneObject object = scene.objects().get(0);
        Cell cell = data.startsWith("toy") ? Cell.values()[random.nextInt(Cell.values().length)] : object.cell();
        Colour colour = data.equals("toy-colour") ? Colour.values()[random.nextInt(Colour.values().length)]
                : object.colour();
        Background background = data.equals("toy-colour")
                ? Background.values()[random.nextInt(Background.values().length)] : scene.background();
        BufferedImage image = switch (data) {
            case "toy" -> square(cell, Color.BLACK, Color.WHITE);
            case "toy-colour" -> square(cell, new Color(background.rgb()), new Color(colour.rgb()));
            case "shapes-bw" -> whiteOnBlack(object);
            case "shapes" -> ImageTensors.resized(
                    SceneRenderer.render(scene, Math.max(SceneRenderer.MIN_SIZE, size), sceneSeed), size);
            default -> throw new IllegalArgumentException("unknown --data " + data);
        };
        String text = prompt(scene, sceneSeed, cell, colour, background);
        return new DiffusionExample(image, text, text, text);
    }

    /** Samples two images per prompt at {@code guidance}, writes their sheet and prints the hit count. */
    private static void score(DiffusionTrainer trainer, List<String> prompts, List<Cell> cells, float guidance,
            String title, Path out) throws java.io.IOException {
        List<BufferedImage> images = trainer.emaModel().sample(prompts, 11, 25, guidance, 2);
        int hits = 0;
        List<String> notes = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            StringBuilder found = new StringBuilder("most foreground:");
            for (BufferedImage image : images.subList(2 * p, 2 * p + 2)) {
                Cell cell = mostForeground(image);
                hits += cell == cells.get(p) ? 1 : 0;
                found.append(' ').append(cell.words());
            }
            notes.add(found.toString());
        }
        SampleSheet.write(prompts, images, 2, notes, title, out.resolve(title.replace(' ', '-') + ".png"));
        System.out.printf(Locale.ROOT, "RESULT %s: prompted cell holds the most foreground in %d/%d%n",
                title, hits, images.size());
    }

    private String prompt(Scene scene, long sceneSeed, Cell cell, Colour colour, Background background) {
        return switch (promptMode) {
            case "cell" -> "at the " + cell.words();
            case "cell-varied" -> CaptionWriter.positionPhrase(cell, sceneSeed);
            case "describe" -> "a " + colour.word() + " square at the " + cell.words() + " on a "
                    + background.words() + " background";
            case "describe-varied" -> "a " + colour.word() + " square " + CaptionWriter.positionPhrase(cell, sceneSeed)
                    + " on a " + background.words() + " background";
            case "long" -> CaptionWriter.write(CaptionKind.LONG, scene, sceneSeed);
            // One seed for every scene: the writer makes the same choices, so each cell has one wording.
            case "long-one-wording" -> CaptionWriter.write(CaptionKind.LONG, scene, 0L);
            default -> throw new IllegalArgumentException("unknown --prompt " + promptMode);
        };
    }

    private BufferedImage square(Cell cell, Color background, Color foreground) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(background);
        g.fillRect(0, 0, size, size);
        g.setColor(foreground);
        int cellSide = size / 3;
        int side = squareSide;
        g.fillRect(cell.column() * cellSide + (cellSide - side) / 2 + random.nextInt(3) - 1,
                cell.row() * cellSide + (cellSide - side) / 2 + random.nextInt(3) - 1, side, side);
        g.dispose();
        return image;
    }

    private BufferedImage whiteOnBlack(SceneObject object) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, size, size);
        g.setColor(Color.WHITE);
        double cellSide = size / 3.0;
        g.fill(SceneRenderer.outline(object.shape(), (object.cell().column() + 0.5) * cellSide,
                (object.cell().row() + 0.5) * cellSide, object.size().extent() * cellSide));
        g.dispose();
        return image;
    }

    /** The cell with the largest summed RGB distance from the image's most common (coarsened) colour. */
    static Cell mostForeground(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        // Samples are noisy: colours are coarsened to 3 bits a channel before the mode is taken.
        int mode = DominantColour.of(pixels, 0xE0E0E0) | 0x101010;
        double[] distance = new double[Cell.values().length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                distance[Cell.at(Math.min(2, y * 3 / height), Math.min(2, x * 3 / width)).ordinal()] +=
                        DominantColour.distance(pixels[y * width + x], mode);
            }
        }
        int best = 0;
        for (int i = 1; i < distance.length; i++) {
            best = distance[i] > distance[best] ? i : best;
        }
        return Cell.values()[best];
    }
}
