package io.recap.ml.diffusion;

import io.recap.shapes.corpus.ContactSheet;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sample grids as PNG: one tile per prompt, its images arranged in a small square mosaic, the
 * prompt (and any notes, such as the matcher's verdict) printed beneath. Drawing is ShapesWorld's
 * {@link ContactSheet}, so generated and real scenes look alike on paper.
 */
public final class SampleSheet {

    private SampleSheet() {
    }

    /**
     * @param prompts one per tile
     * @param images prompt-major, {@code imagesPerPrompt} per prompt (as {@link DiffusionModel#sample} returns)
     * @param notes extra lines per prompt, or null
     */
    public static void write(List<String> prompts, List<BufferedImage> images, int imagesPerPrompt,
            List<String> notes, String title, Path png) throws IOException {
        if (images.size() != prompts.size() * imagesPerPrompt) {
            throw new IllegalArgumentException(images.size() + " images for " + prompts.size() + " prompts x "
                    + imagesPerPrompt);
        }
        List<ContactSheet.Tile> tiles = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            List<String> texts = new ArrayList<>(List.of(prompts.get(p).isEmpty() ? "(unconditional)" : prompts.get(p)));
            if (notes != null && notes.get(p) != null) {
                texts.add(notes.get(p));
            }
            BufferedImage mosaic = mosaic(images.subList(p * imagesPerPrompt, (p + 1) * imagesPerPrompt));
            tiles.add(new ContactSheet.Tile(mosaic, title + " #" + p, texts));
        }
        ContactSheet.write(tiles, png);
    }

    /** Images of equal size laid out in a square grid, row by row. */
    static BufferedImage mosaic(List<BufferedImage> images) {
        int side = (int) Math.ceil(Math.sqrt(images.size()));
        int width = images.get(0).getWidth();
        int height = images.get(0).getHeight();
        BufferedImage mosaic = new BufferedImage(side * width, side * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mosaic.createGraphics();
        try {
            for (int i = 0; i < images.size(); i++) {
                g.drawImage(images.get(i), (i % side) * width, (i / side) * height, null);
            }
        } finally {
            g.dispose();
        }
        return mosaic;
    }
}
