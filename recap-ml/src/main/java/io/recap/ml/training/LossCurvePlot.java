package io.recap.ml.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Draws a loss curve (raw per-step loss and its moving average) to a PNG, headless. */
public final class LossCurvePlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 56;

    private LossCurvePlot() {
    }

    public static void write(float[] losses, String title, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            g.drawString(title, MARGIN, 24);
            g.drawRect(MARGIN, MARGIN, WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN);
            if (losses.length > 0) {
                drawCurves(g, losses);
            }
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ImageIO.write(image, "png", png.toFile());
    }

    private static void drawCurves(Graphics2D g, float[] losses) {
        float max = 0f;
        float min = Float.MAX_VALUE;
        for (float loss : losses) {
            if (Float.isFinite(loss)) {
                max = Math.max(max, loss);
                min = Math.min(min, loss);
            }
        }
        float low = Math.min(0f, min);
        float range = Math.max(1e-6f, max - low);
        g.drawString(String.format("%.3f", max), 4, MARGIN + 4);
        g.drawString(String.format("%.3f", low), 4, HEIGHT - MARGIN);
        g.drawString("step " + losses.length, WIDTH - MARGIN - 60, HEIGHT - MARGIN + 18);

        int window = Math.max(1, losses.length / 50);
        Path2D raw = new Path2D.Float();
        Path2D smooth = new Path2D.Float();
        double sum = 0;
        for (int i = 0; i < losses.length; i++) {
            float loss = Float.isFinite(losses[i]) ? losses[i] : max;
            sum += loss;
            if (i >= window) {
                sum -= Float.isFinite(losses[i - window]) ? losses[i - window] : max;
            }
            double x = MARGIN + (double) i / Math.max(1, losses.length - 1) * (WIDTH - 2 * MARGIN);
            double yRaw = HEIGHT - MARGIN - (loss - low) / range * (HEIGHT - 2 * MARGIN);
            double ySmooth = HEIGHT - MARGIN - (sum / Math.min(i + 1, window) - low) / range * (HEIGHT - 2 * MARGIN);
            if (i == 0) {
                raw.moveTo(x, yRaw);
                smooth.moveTo(x, ySmooth);
            } else {
                raw.lineTo(x, yRaw);
                smooth.lineTo(x, ySmooth);
            }
        }
        g.setColor(new Color(120, 160, 220));
        g.setStroke(new BasicStroke(1f));
        g.draw(raw);
        g.setColor(new Color(20, 60, 160));
        g.setStroke(new BasicStroke(2f));
        g.draw(smooth);
    }
}
