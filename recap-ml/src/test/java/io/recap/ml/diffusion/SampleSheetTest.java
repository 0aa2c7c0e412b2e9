package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample grid: tiles of four columns, each a mosaic of one prompt's images above its wrapped texts. */
class SampleSheetTest {

    @TempDir
    Path directory;

    @Test
    void writesFourColumnsOfTilesEachAMosaicAboveItsTexts() throws Exception {
        List<String> prompts = List.of("a red circle", "", "a blue square", "two green triangles", "a small disc");
        List<BufferedImage> images = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int i = 0; i < 4; i++) {
                images.add(filled(16, p == 0 ? Color.RED : Color.BLUE));
            }
        }
        Path png = directory.resolve("nested/sheet.png");

        SampleSheet.write(prompts, images, 4, Collections.nCopies(prompts.size(), "matched"), "step 10", png);

        BufferedImage sheet = ImageIO.read(png.toFile());
        assertThat(sheet.getWidth()).isEqualTo(4 * 280);
        // Two rows of a 128-pixel image with padding and at least a title, a prompt and a note each.
        assertThat(sheet.getHeight()).isGreaterThan(2 * (3 * 8 + 128));
        // The first tile's mosaic, enlarged to 128 pixels and centred in its 280-pixel column.
        assertThat(new Color(sheet.getRGB(76 + 64, 8 + 64))).isEqualTo(Color.RED);
        assertThat(new Color(sheet.getRGB(280 + 76 + 64, 8 + 64))).isEqualTo(Color.BLUE);
        // Beside the image the tile is white, and it has a light grey frame.
        assertThat(new Color(sheet.getRGB(20, 60))).isEqualTo(Color.WHITE);
        assertThat(new Color(sheet.getRGB(0, 60))).isEqualTo(Color.LIGHT_GRAY);
    }

    @Test
    void aSingleTileMakesASheetOneColumnWide() throws Exception {
        Path png = directory.resolve("one.png");
        SampleSheet.write(List.of("a red circle"), List.of(filled(8, Color.RED)), 1, null, "t", png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(280);
    }

    @Test
    void refusesImagesThatDoNotMatchThePrompts() {
        assertThatThrownBy(() -> SampleSheet.write(List.of("a", "b"), List.of(filled(8, Color.RED)), 1, null, "t",
                directory.resolve("bad.png"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrapsLongTextIntoLinesThatFitTheTileAndKeepsEveryWord() {
        FontMetrics metrics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
                .getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        String text = String.join(" ", Collections.nCopies(40, "a small red triangle in the top left cell"));
        List<String> lines = SampleSheet.wrap(text, metrics);
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(lines).allSatisfy(line -> assertThat(metrics.stringWidth(line)).isLessThanOrEqualTo(280 - 16));
        assertThat(String.join(" ", lines)).isEqualTo(text);
        assertThat(SampleSheet.wrap("", metrics)).isEmpty();
    }

    @Test
    void mosaicLaysImagesOutInASquareRowByRow() {
        BufferedImage mosaic = SampleSheet.mosaic(List.of(filled(4, Color.RED), filled(4, Color.GREEN),
                filled(4, Color.BLUE)));
        assertThat(mosaic.getWidth()).isEqualTo(8);
        assertThat(mosaic.getHeight()).isEqualTo(8);
        assertThat(new Color(mosaic.getRGB(5, 1))).isEqualTo(Color.GREEN);
        assertThat(new Color(mosaic.getRGB(1, 5))).isEqualTo(Color.BLUE);
    }

    private static BufferedImage filled(int side, Color colour) {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, colour.getRGB());
            }
        }
        return image;
    }
}
