package io.recap.shapes.corpus;

import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionWriter;
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
 * A PNG grid of scenes, each with its alt-text and LONG caption printed beneath, for checking
 * by eye that pictures and texts agree (and that the alt-text is as bad as intended).
 */
public final class ContactSheet {
  /** One tile: an image and the texts printed under it. */
  public record Tile(BufferedImage image, String title, List<String> texts) {}

  private static final int TILE_WIDTH = 280;
  private static final int IMAGE_SIDE = 128;
  private static final int COLUMNS = 4;
  private static final int PAD = 8;
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

  private ContactSheet() {}

  /** The first 24 entries of a corpus directory. */
  public static void write(Path corpusDir, Path png) throws IOException {
    write(corpusDir, png, 24);
  }

  /** The first {@code limit} entries of a corpus directory. */
  public static void write(Path corpusDir, Path png, int limit) throws IOException {
    CorpusManifest manifest = CorpusManifest.read(corpusDir);
    List<Tile> tiles = new ArrayList<>();
    for (CorpusEntry e : manifest.entries().subList(0, Math.min(limit, manifest.entries().size()))) {
      tiles.add(new Tile(manifest.image(e), e.id() + " (" + e.split().wireName() + ")",
          List.of("ALT: " + e.altText(), "LONG: " + e.captions().longCaption())));
    }
    write(tiles, png);
  }

  /** Scenes {@code 0..count-1} of a seeded stream, rendered on the fly. */
  public static void write(long seed, int count, int imageSize, Path png) throws IOException {
    List<Tile> tiles = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long sceneSeed = SceneGenerator.sceneSeed(seed, i);
      Scene scene = SceneGenerator.generate(seed, i);
      tiles.add(new Tile(SceneRenderer.render(scene, imageSize, sceneSeed), "#" + i,
          List.of("ALT: " + CaptionWriter.write(CaptionKind.ALT, scene, sceneSeed),
              "LONG: " + CaptionWriter.write(CaptionKind.LONG, scene, sceneSeed))));
    }
    write(tiles, png);
  }

  public static void write(List<Tile> tiles, Path png) throws IOException {
    if (tiles.isEmpty()) {
      throw new IllegalArgumentException("nothing to put on a contact sheet");
    }
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics metrics = pg.getFontMetrics(FONT);
    pg.dispose();
    int textWidth = TILE_WIDTH - 2 * PAD;
    List<List<String>> wrapped = new ArrayList<>();
    for (Tile tile : tiles) {
      List<String> lines = new ArrayList<>(List.of(tile.title()));
      for (String text : tile.texts()) {
        lines.addAll(wrap(text, metrics, textWidth));
      }
      wrapped.add(lines);
    }
    int rows = (tiles.size() + COLUMNS - 1) / COLUMNS;
    int lineHeight = metrics.getHeight();
    int[] rowHeight = new int[rows];
    for (int i = 0; i < tiles.size(); i++) {
      int h = PAD + IMAGE_SIDE + PAD + wrapped.get(i).size() * lineHeight + PAD;
      rowHeight[i / COLUMNS] = Math.max(rowHeight[i / COLUMNS], h);
    }
    int columns = Math.min(COLUMNS, tiles.size());
    BufferedImage sheet = new BufferedImage(columns * TILE_WIDTH,
        java.util.Arrays.stream(rowHeight).sum(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      // Nearest neighbour keeps pixels crisp: what the models see, enlarged.
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setFont(FONT);
      int top = 0;
      for (int i = 0; i < tiles.size(); i++) {
        if (i > 0 && i % COLUMNS == 0) {
          top += rowHeight[i / COLUMNS - 1];
        }
        int left = (i % COLUMNS) * TILE_WIDTH;
        g.drawImage(tiles.get(i).image(), left + (TILE_WIDTH - IMAGE_SIDE) / 2, top + PAD,
            IMAGE_SIDE, IMAGE_SIDE, null);
        g.setColor(Color.BLACK);
        int y = top + PAD + IMAGE_SIDE + PAD + metrics.getAscent();
        for (String line : wrapped.get(i)) {
          g.drawString(line, left + PAD, y);
          y += lineHeight;
        }
        g.setColor(Color.LIGHT_GRAY);
        g.drawRect(left, top, TILE_WIDTH - 1, rowHeight[i / COLUMNS] - 1);
      }
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(sheet, "png", png.toFile());
  }

  static List<String> wrap(String text, FontMetrics metrics, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (metrics.stringWidth(candidate) <= width || line.isEmpty()) {
        line.setLength(0);
        line.append(candidate);
      } else {
        lines.add(line.toString());
        line.setLength(0);
        line.append(word);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
