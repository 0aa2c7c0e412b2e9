package io.recap.ml.captioner;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny test world: one coloured square or circle in one of four quadrants, with jittered size,
 * position and background, captioned in two styles.
 */
final class SyntheticShapes {

    static final String SHORT = "short";
    static final String LONG = "long";

    private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final Color[] RGB = {
        new Color(220, 40, 40), new Color(40, 170, 60), new Color(40, 80, 220), new Color(230, 200, 40)};
    private static final String[] SHAPES = {"square", "circle"};
    private static final String[] POSITIONS = {"top left", "top right", "bottom left", "bottom right"};

    record Scene(int colour, int shape, int position) {
        String caption(String style) {
            String what = COLOURS[colour] + " " + SHAPES[shape];
            return SHORT.equals(style)
                    ? what + " " + POSITIONS[position]
                    : "a " + what + " in the " + POSITIONS[position] + " corner.";
        }
    }

    private final int size;
    private final Random random;

    SyntheticShapes(int size, long seed) {
        this.size = size;
        this.random = new Random(seed);
    }

    /** Every caption of every scene, for building the vocabulary. */
    static List<String> allCaptions() {
        List<String> captions = new ArrayList<>();
        for (int c = 0; c < COLOURS.length; c++) {
            for (int s = 0; s < SHAPES.length; s++) {
                for (int p = 0; p < POSITIONS.length; p++) {
                    captions.add(new Scene(c, s, p).caption(SHORT));
                    captions.add(new Scene(c, s, p).caption(LONG));
                }
            }
        }
        return captions;
    }

    Scene randomScene() {
        return new Scene(random.nextInt(COLOURS.length), random.nextInt(SHAPES.length), random.nextInt(POSITIONS.length));
    }

    BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int grey = 200 + random.nextInt(40);
            g.setColor(new Color(grey, grey, grey));
            g.fillRect(0, 0, size, size);
            int side = size * 3 / 8 + random.nextInt(size / 8 + 1);
            int quarter = size / 4;
            int centreX = (scene.position() % 2 == 0 ? quarter : 3 * quarter) + random.nextInt(5) - 2;
            int centreY = (scene.position() < 2 ? quarter : 3 * quarter) + random.nextInt(5) - 2;
            g.setColor(RGB[scene.colour()]);
            if (scene.shape() == 0) {
                g.fillRect(centreX - side / 2, centreY - side / 2, side, side);
            } else {
                g.fillOval(centreX - side / 2, centreY - side / 2, side, side);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Fresh renders every batch, half SHORT and half LONG captions. */
    CaptionBatchSource batches() {
        return batchSize -> {
            List<CaptionExample> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                Scene scene = randomScene();
                String style = i % 2 == 0 ? SHORT : LONG;
                batch.add(new CaptionExample(render(scene), style, scene.caption(style)));
            }
            return batch;
        };
    }
}
