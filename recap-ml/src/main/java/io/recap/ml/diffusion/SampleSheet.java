package io.recap.ml.diffusion;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Sample grids as PNG: one tile per prompt, its images arranged in a small square mosaic, the
 * prompt (and any notes, such as the matcher's verdict) printed beneath.
 *
 * <p>The layout is the one of shapes-world's {@code ContactSheet} (four 280-pixel columns, the
 * image enlarged to 128 pixels with nearest neighbour, a title and word-wrapped text lines under
 * it), so generated and real scenes look alike on paper. It is drawn here rather than borrowed
 * because recap-ml, which the services ship, must not depend on the benchmark world.
 */
public final class SampleSheet {

    private static final int TILE_WIDTH = 280;
    private static final int IMAGE_SIDE = 128;
    private static final int COLUMNS = 4;
    private static final int PAD = 8;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

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
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to put on a sample sheet");
        }
        FontMetrics metrics = fontMetrics();
        List<BufferedImage> mosaics = new ArrayList<>();
        List<List<String>> lines = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            mosaics.add(mosaic(images.subList(p * imagesPerPrompt, (p + 1) * imagesPerPrompt)));
            List<String> tileLines = new ArrayList<>(List.of(title + " #" + p));
            tileLines.addAll(wrap(prompts.get(p).isEmpty() ? "(unconditional)" : prompts.get(p), metrics));
            if (notes != null && notes.get(p) != null) {
                tileLines.addAll(wrap(notes.get(p), metrics));
            }
            lines.add(tileLines);
        }
        BufferedImage sheet = draw(mosaics, lines, metrics);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(sheet, "png", png.toFile());
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

    /** Tiles row by row; a row is as tall as its tile with the most text lines. */
    private static BufferedImage draw(List<BufferedImage> mosaics, List<List<String>> lines, FontMetrics metrics) {
        int tiles = mosaics.size();
        int lineHeight = metrics.getHeight();
        int[] rowTop = new int[(tiles + COLUMNS - 1) / COLUMNS + 1];
        for (int row = 0; row + 1 < rowTop.length; row++) {
            int mostLines = 0;
            for (int i = row * COLUMNS; i < Math.min(tiles, (row + 1) * COLUMNS); i++) {
                mostLines = Math.max(mostLines, lines.get(i).size());
            }
            rowTop[row + 1] = rowTop[row] + 3 * PAD + IMAGE_SIDE + mostLines * lineHeight;
        }
        BufferedImage sheet = new BufferedImage(Math.min(COLUMNS, tiles) * TILE_WIDTH, rowTop[rowTop.length - 1],
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // Nearest neighbour keeps pixels crisp: what the model drew, enlarged.
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(FONT);
            for (int i = 0; i < tiles; i++) {
                int row = i / COLUMNS;
                int x = (i % COLUMNS) * TILE_WIDTH;
                int y = rowTop[row];
                g.drawImage(mosaics.get(i), x + (TILE_WIDTH - IMAGE_SIDE) / 2, y + PAD, IMAGE_SIDE, IMAGE_SIDE, null);
                g.setColor(Color.BLACK);
                int baseline = y + 2 * PAD + IMAGE_SIDE + metrics.getAscent();
                for (String line : lines.get(i)) {
                    g.drawString(line, x + PAD, baseline);
                    baseline += lineHeight;
                }
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x, y, TILE_WIDTH - 1, rowTop[row + 1] - y - 1);
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }

    private static FontMetrics fontMetrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(FONT);
        } finally {
            g.dispose();
        }
    }

    /** Greedy word wrap to the tile's text width; a word longer than a line gets a line of its own. */
    static List<String> wrap(String text, FontMetrics metrics) {
        int width = TILE_WIDTH - 2 * PAD;
        List<String> wrapped = new ArrayList<>();
        String line = "";
        for (String word : text.split("\\s+")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (line.isEmpty() || metrics.stringWidth(longer) <= width) {
                line = longer;
            } else {
                wrapped.add(line);
                line = word;
            }
        }
        if (!line.isEmpty()) {
            wrapped.add(line);
        }
        return wrapped;
    }
}
