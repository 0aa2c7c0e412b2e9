package io.recap.ml.diffusion;

import io.recap.ml.text.Vocabulary;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A tiny colour world for fast tests: a 16x16 image filled with one of four colours, plus a blob. */
final class DiffusionTestSupport {

    static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    static final Color[] RGB = {new Color(220, 30, 30), new Color(30, 180, 50), new Color(30, 60, 220),
        new Color(235, 210, 30)};

    private DiffusionTestSupport() {
    }

    static Vocabulary vocabulary() {
        List<String> texts = new ArrayList<>();
        for (String colour : COLOURS) {
            texts.add("a " + colour + " picture");
            texts.add(colour);
            texts.add("photo by someone");
        }
        return Vocabulary.build(texts, List.of(), 1);
    }

    /** {@code count} examples: a colour fill with a small white square at a random place. */
    static List<DiffusionExample> colourExamples(int count, long seed) {
        Random random = new Random(seed);
        List<DiffusionExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int colour = i % COLOURS.length;
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(RGB[colour]);
            g.fillRect(0, 0, 16, 16);
            g.setColor(Color.WHITE);
            g.fillRect(random.nextInt(12), random.nextInt(12), 4, 4);
            g.dispose();
            examples.add(new DiffusionExample(image, "photo by someone", COLOURS[colour],
                    "a " + COLOURS[colour] + " picture"));
        }
        return examples;
    }

    /** Mean RGB of an image, each channel in [0, 255]. */
    static double[] meanColour(BufferedImage image) {
        double[] sum = new double[3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                sum[0] += (rgb >> 16) & 0xFF;
                sum[1] += (rgb >> 8) & 0xFF;
                sum[2] += rgb & 0xFF;
            }
        }
        int pixels = image.getWidth() * image.getHeight();
        return new double[] {sum[0] / pixels, sum[1] / pixels, sum[2] / pixels};
    }

    /** Index of the palette colour nearest to an image's mean colour. */
    static int nearestColour(BufferedImage image) {
        double[] mean = meanColour(image);
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int c = 0; c < RGB.length; c++) {
            double dr = mean[0] - RGB[c].getRed();
            double dg = mean[1] - RGB[c].getGreen();
            double db = mean[2] - RGB[c].getBlue();
            double distance = dr * dr + dg * dg + db * db;
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }
}
