package io.recap.ml.evaluation;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A toy world for the evaluator tests: 32x32 images filled with one of a few colours, some with a white square. */
final class ColourImages {

    static final List<String> COLOURS = List.of("red", "blue", "green", "yellow");
    private static final Color[] RGB = {new Color(220, 30, 30), new Color(30, 60, 220), new Color(30, 180, 50),
        new Color(235, 210, 30)};

    private ColourImages() {
    }

    /** Image i shows colour i mod {@code colours}; every other pair of images has a white square at a random place. */
    static List<BufferedImage> images(int count, int colours, long seed) {
        Random random = new Random(seed);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(RGB[i % colours]);
            g.fillRect(0, 0, 32, 32);
            if (hasSquare(i, colours)) {
                g.setColor(Color.WHITE);
                g.fillRect(random.nextInt(24), random.nextInt(24), 8, 8);
            }
            g.dispose();
            images.add(image);
        }
        return images;
    }

    static boolean hasSquare(int index, int colours) {
        return (index / colours) % 2 == 1;
    }

    static String colour(int index, int colours) {
        return COLOURS.get(index % colours);
    }
}
