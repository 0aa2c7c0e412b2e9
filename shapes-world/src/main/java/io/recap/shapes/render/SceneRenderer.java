package io.recap.shapes.render;

import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneObject;
import io.recap.shapes.scene.Seeds;
import io.recap.shapes.scene.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws scenes as square RGB images. Each object gets a small deterministic jitter of position
 * (up to {@value #POSITION_JITTER} of a cell) and size (up to {@value #SIZE_JITTER} relative) so
 * that equal scenes are not pixel-identical templates; the jitter never moves an object out of
 * its cell, which keeps per-cell parsing exact.
 */
public final class SceneRenderer {
  public static final int DEFAULT_SIZE = 64;
  public static final int MIN_SIZE = 32;
  static final double POSITION_JITTER = 0.04;
  static final double SIZE_JITTER = 0.05;

  private SceneRenderer() {}

  /** Renders with jitter derived from the scene's content alone. */
  public static BufferedImage render(Scene scene, int size) {
    return render(scene, size, 0L);
  }

  /**
   * Renders with jitter derived from the scene's content and {@code variation} (corpora pass
   * the scene seed, so the same scene at two indices is drawn slightly differently).
   */
  public static BufferedImage render(Scene scene, int size, long variation) {
    if (size < MIN_SIZE) {
      throw new IllegalArgumentException("image size must be at least " + MIN_SIZE);
    }
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(new Color(scene.background().rgb()));
      g.fillRect(0, 0, size, size);
      SplittableRandom jitter = new SplittableRandom(Seeds.mix(variation, scene.stableHash()));
      double cell = size / 3.0;
      for (SceneObject object : scene.objects()) {
        double cx = (object.cell().column() + 0.5 + symmetric(jitter, POSITION_JITTER)) * cell;
        double cy = (object.cell().row() + 0.5 + symmetric(jitter, POSITION_JITTER)) * cell;
        double side = object.size().extent() * (1 + symmetric(jitter, SIZE_JITTER)) * cell;
        g.setColor(new Color(object.colour().rgb()));
        g.fill(outline(object.shape(), cx, cy, side));
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The outline of a shape whose bounding box of side {@code side} is centred at (cx, cy). */
  public static java.awt.Shape outline(Shape shape, double cx, double cy, double side) {
    double h = side / 2;
    return switch (shape) {
      case CIRCLE -> new Ellipse2D.Double(cx - h, cy - h, side, side);
      case SQUARE -> new Rectangle2D.Double(cx - h, cy - h, side, side);
      case TRIANGLE -> {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(cx, cy - h);
        path.lineTo(cx + h, cy + h);
        path.lineTo(cx - h, cy + h);
        path.closePath();
        yield path;
      }
      case CROSS -> {
        double arm = side / 6;
        Path2D.Double path = new Path2D.Double();
        path.append(new Rectangle2D.Double(cx - arm, cy - h, 2 * arm, side), false);
        path.append(new Rectangle2D.Double(cx - h, cy - arm, side, 2 * arm), false);
        path.setWindingRule(Path2D.WIND_NON_ZERO);
        yield path;
      }
    };
  }

  public static byte[] toPng(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static void writePng(BufferedImage image, Path file) throws IOException {
    Files.write(file, toPng(image));
  }

  public static BufferedImage readImage(Path file) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IOException("not a readable image: " + file);
    }
    return image;
  }

  private static double symmetric(SplittableRandom random, double amplitude) {
    return (random.nextDouble() * 2 - 1) * amplitude;
  }
}
