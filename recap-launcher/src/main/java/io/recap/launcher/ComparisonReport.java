package io.recap.launcher;

import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/**
 * The RECAP comparison the main job ends with, from the orchestrator's {@code GET /models/comparison}: a console
 * table (each model's rates with their 95 % intervals, and each model's paired difference from the baseline), and a
 * report folder with the same table in markdown, a per-category bar chart with the intervals and every model's
 * sample sheet (the same prompts and noise for all).
 */
final class ComparisonReport {

    /** Semantic rates, in the order the table and the chart show them. */
    static final List<String> RATES = List.of("overall", "object", "count", "colour", "colour_binding", "size",
            "position");
    private static final Color[] COLOURS = {new Color(0x9e9e9e), new Color(0x1f77b4), new Color(0xff7f0e),
            new Color(0x2ca02c), new Color(0xd62728)};

    private ComparisonReport() {
    }

    /** The console table. */
    static List<String> table(JsonNode comparison) {
        List<String> lines = new ArrayList<>();
        JsonNode models = comparison.path("models");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s", "metric"));
        for (JsonNode model : models) {
            header.append(String.format(Locale.ROOT, " %-24s", name(model)));
        }
        for (int i = 1; i < models.size(); i++) {
            header.append(String.format(Locale.ROOT, " %-24s", name(models.get(i)) + " - " + name(models.get(0))));
        }
        lines.add(header.toString());
        for (String metric : metrics(comparison)) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16s", metric));
            for (JsonNode model : models) {
                row.append(String.format(Locale.ROOT, " %-24s", value(model.path("metrics"), key(metric))));
            }
            for (int i = 1; i < models.size(); i++) {
                row.append(String.format(Locale.ROOT, " %-24s", difference(models.get(i), metric)));
            }
            lines.add(row.toString());
        }
        return lines;
    }

    /** One line saying whether the first model's gain in overall success is resolved, for the console. */
    static String verdict(JsonNode comparison) {
        JsonNode models = comparison.path("models");
        if (models.size() < 2) {
            return "nothing to compare";
        }
        JsonNode overall = models.get(1).path("differences").path("overall");
        double low = overall.path("low").asDouble();
        double high = overall.path("high").asDouble();
        String gap = String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", overall.path("estimate").asDouble(), low, high);
        String who = name(models.get(1)) + " vs " + name(models.get(0));
        if (low > 0) {
            return who + ": overall success " + gap + ", the 95 % interval of the difference is above zero";
        }
        if (high < 0) {
            return who + ": overall success " + gap + ", the 95 % interval of the difference is below zero";
        }
        return who + ": overall success " + gap + ", the 95 % interval of the difference includes zero (not resolved)";
    }

    /**
     * Writes {@code report/} under {@code runDir}: {@code recap-comparison.md}, {@code rates.png} and a sample sheet
     * per model (fetched with {@code samples}).
     *
     * @return the markdown file
     */
    static Path write(JsonNode comparison, Path runDir, String preset, BiConsumer<ModelRef, Path> samples)
            throws IOException {
        Path dir = runDir.resolve("report");
        Files.createDirectories(dir);
        Path chart = dir.resolve("rates.png");
        ImageIO.write(chart(comparison), "png", chart.toFile());
        StringBuilder md = new StringBuilder("# RECAP comparison (preset `" + preset + "`)\n\n");
        JsonNode settings = comparison.path("settings");
        md.append(String.format(Locale.ROOT, "Held-out prompts: %d x %d images (seed %d, %d-%d objects, worded %s in"
                + " rotation), DDIM %d steps, guidance %.1f. Every model drew image *i* from the same prompt and the"
                + " same noise, so each difference is paired; intervals are bootstrap 95 %%.%n%n",
                settings.path("prompts").asInt(), settings.path("imagesPerPrompt").asInt(),
                settings.path("seed").asLong(), settings.path("minObjects").asInt(), settings.path("maxObjects").asInt(),
                settings.path("wordings"), settings.path("samplingSteps").asInt(), settings.path("guidance").asDouble()));
        md.append("**").append(verdict(comparison)).append("**\n\n```\n");
        table(comparison).forEach(line -> md.append(line).append('\n'));
        md.append("```\n\n![rates](rates.png)\n\n");
        for (JsonNode model : comparison.path("models")) {
            ModelRef ref = Json.mapper().treeToValue(model.path("model"), ModelRef.class);
            String file = "samples-" + ref.name() + "-" + ref.version() + ".png";
            samples.accept(ref, dir.resolve(file));
            md.append("### ").append(ref).append("\n\n![").append(ref.name()).append("](").append(file)
                    .append(")\n\n");
        }
        Path report = dir.resolve("recap-comparison.md");
        Files.writeString(report, md, StandardCharsets.UTF_8);
        return report;
    }

    /** Grouped bars per rate, one colour per model, each with its 95 % interval as a whisker. */
    static BufferedImage chart(JsonNode comparison) {
        JsonNode models = comparison.path("models");
        int width = 960;
        int height = 440;
        int left = 60;
        int bottom = 70;
        int top = 40;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            int plotHeight = height - top - bottom;
            g.setColor(new Color(0xdddddd));
            for (int tick = 0; tick <= 10; tick += 2) {
                int y = top + plotHeight - plotHeight * tick / 10;
                g.drawLine(left, y, width - 20, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "%d%%", tick * 10), 20, y + 4);
                g.setColor(new Color(0xdddddd));
            }
            int groupWidth = (width - left - 20) / RATES.size();
            int barWidth = Math.max(6, (groupWidth - 20) / Math.max(1, models.size()));
            for (int r = 0; r < RATES.size(); r++) {
                String rate = RATES.get(r);
                int x0 = left + r * groupWidth + 10;
                for (int m = 0; m < models.size(); m++) {
                    JsonNode metrics = models.get(m).path("metrics");
                    String key = "matcher." + rate;
                    if (!metrics.path(key).isNumber()) {
                        continue;
                    }
                    int x = x0 + m * barWidth;
                    int barTop = top + plotHeight - (int) Math.round(plotHeight * metrics.path(key).asDouble());
                    g.setColor(COLOURS[m % COLOURS.length]);
                    g.fillRect(x, barTop, barWidth - 2, top + plotHeight - barTop);
                    if (metrics.path(key + ".ci_low").isNumber()) {
                        int low = top + plotHeight - (int) Math.round(plotHeight * metrics.path(key + ".ci_low").asDouble());
                        int high = top + plotHeight
                                - (int) Math.round(plotHeight * metrics.path(key + ".ci_high").asDouble());
                        int cx = x + (barWidth - 2) / 2;
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1.5f));
                        g.drawLine(cx, low, cx, high);
                        g.drawLine(cx - 3, low, cx + 3, low);
                        g.drawLine(cx - 3, high, cx + 3, high);
                    }
                }
                g.setColor(Color.BLACK);
                g.drawString(rate.replace('_', ' '), x0, top + plotHeight + 18);
            }
            for (int m = 0; m < models.size(); m++) {
                g.setColor(COLOURS[m % COLOURS.length]);
                g.fillRect(left + m * 220, height - 30, 14, 14);
                g.setColor(Color.BLACK);
                g.drawString(name(models.get(m)), left + m * 220 + 20, height - 18);
            }
            g.drawString("oracle success rate by category on held-out prompts, 95 % bootstrap intervals", left, 24);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static List<String> metrics(JsonNode comparison) {
        List<String> metrics = new ArrayList<>(RATES);
        metrics.addAll(List.of("counting_error", "clip_score", "fid", "kid"));
        JsonNode first = comparison.path("models").path(0).path("metrics");
        metrics.removeIf(metric -> !first.path(key(metric)).isNumber());
        return metrics;
    }

    /** The metric's name in a manifest: the oracle rates are {@code matcher.<rate>}. */
    static String key(String metric) {
        return RATES.contains(metric) ? "matcher." + metric : metric;
    }

    private static String value(JsonNode metrics, String key) {
        if (!metrics.path(key).isNumber()) {
            return "-";
        }
        String number = String.format(Locale.ROOT, "%.3f", metrics.path(key).asDouble());
        if (metrics.path(key + ".ci_low").isNumber()) {
            return number + String.format(Locale.ROOT, " [%.3f, %.3f]", metrics.path(key + ".ci_low").asDouble(),
                    metrics.path(key + ".ci_high").asDouble());
        }
        return number;
    }

    private static String difference(JsonNode model, String metric) {
        JsonNode d = model.path("differences").path(metric);
        if (!d.path("estimate").isNumber()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", d.path("estimate").asDouble(),
                d.path("low").asDouble(), d.path("high").asDouble());
    }

    private static String name(JsonNode model) {
        return model.path("model").path("name").asString() + "/" + model.path("model").path("version").asString();
    }
}
