package io.recap.launcher;

import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;

/**
 * The RECAP table of an experiment run ({@code --experiment}): the paper's four fine-tunes beside its numbers, each
 * value the mean over the training seeds with the seeds' spread, each seed's own bootstrap interval, the paired
 * difference from Alttext per seed, the caption statistics of the three caption sets, and the wall time of every
 * stage. Written as {@code recap-table.md} and {@code recap-table.json} with a bar chart and sample sheets.
 */
final class RecapTable {

    /** The paper's Table (SD v1.4 fine-tunes, 250k steps): FID on MS-COCO and the human-rated success. */
    static final Map<String, double[]> PAPER = Map.of(
            "alt", new double[] {17.87, 0.2925},
            "short", new double[] {13.90, Double.NaN},
            "long", new double[] {15.57, Double.NaN},
            "mix", new double[] {14.84, 0.4806});
    static final List<String> METRICS = List.of("overall", "object", "count", "colour", "colour_binding", "size",
            "position", "counting_error", "clip_score", "fid", "kid");

    /** Everything the experiment measured. */
    record Inputs(LaunchOptions options, String corpusId, ModelRef captioner, JsonNode captionerEvaluation,
            JsonNode base, List<JsonNode> comparisons, Map<String, Double> stageSeconds) {
    }

    private RecapTable() {
    }

    static Path write(Inputs in, Path dir, BiConsumer<ModelRef, Path> samples) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> models = new LinkedHashMap<>();
        List<String> variants = new ArrayList<>(RecapLoop.EXPERIMENT_VARIANTS.keySet());
        StringBuilder md = new StringBuilder("# The RECAP table, measured by the platform\n\n");
        JsonNode settings = in.comparisons().get(0).path("settings");
        md.append(String.format(Locale.ROOT, "Written by `java -jar recap-launcher/target/recap-launcher.jar --experiment"
                + " --preset %s --seeds %d%s` (corpus `%s`, %d scenes; captioner fine-tuned %d steps from"
                + " `%s`; each text-to-image model fine-tuned %d steps of 32 from"
                + " `%s`, prompt dropout 0.14, text encoder trained; training seeds 1..%d)."
                + " Evaluation: %d held-out prompts x %d images (seed %d, %d-%d objects, worded %s in rotation), DDIM %d"
                + " steps, guidance %.1f; every model drew image *i* from the same prompt and noise.%n%n",
                in.options().preset(), in.comparisons().size(), stepsOption(in.options()), in.corpusId(),
                in.options().scenes(), in.options().budget().captionerSteps(), RecapLoop.CAPTIONER_BASE,
                in.options().budget().t2iSteps(), RecapLoop.T2I_BASE,
                in.comparisons().size(), settings.path("prompts").asInt(), settings.path("imagesPerPrompt").asInt(),
                settings.path("seed").asLong(), settings.path("minObjects").asInt(), settings.path("maxObjects").asInt(),
                settings.path("wordings"), settings.path("samplingSteps").asInt(), settings.path("guidance").asDouble()));
        md.append("Each cell: the mean over the training seeds, then the seeds' range in parentheses; rates are"
                + " fractions. Per-seed 95 % bootstrap intervals and paired differences follow.\n\n");
        md.append("| model | ").append(String.join(" | ", METRICS)).append(" | paper FID | paper success |\n");
        md.append("|---|").append("---|".repeat(METRICS.size() + 2)).append('\n');
        JsonNode baseMetrics = in.base().path("manifest").path("metrics");
        md.append("| base (before fine-tuning) |");
        for (String metric : METRICS) {
            md.append(' ').append(format(baseMetrics.path(ComparisonReport.key(metric)))).append(" |");
        }
        md.append(" | |\n");
        for (int v = 0; v < variants.size(); v++) {
            String variant = variants.get(v);
            Map<String, Object> row = new LinkedHashMap<>();
            md.append("| ").append(label(variant)).append(" |");
            for (String metric : METRICS) {
                List<Double> values = new ArrayList<>();
                List<double[]> intervals = new ArrayList<>();
                for (JsonNode comparison : in.comparisons()) {
                    JsonNode metrics = comparison.path("models").get(v).path("metrics");
                    if (metrics.path(ComparisonReport.key(metric)).isNumber()) {
                        values.add(metrics.path(ComparisonReport.key(metric)).asDouble());
                        if (metrics.path(ComparisonReport.key(metric) + ".ci_low").isNumber()) {
                            intervals.add(new double[] {metrics.path(ComparisonReport.key(metric) + ".ci_low").asDouble(),
                                    metrics.path(ComparisonReport.key(metric) + ".ci_high").asDouble()});
                        }
                    }
                }
                if (values.isEmpty()) {
                    md.append(" - |");
                    continue;
                }
                double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                md.append(String.format(Locale.ROOT, " %s (%s-%s) |", number(mean), number(min), number(max)));
                row.put(metric, mean);
                row.put(metric + "_seeds", values);
                row.put(metric + "_spread", List.of(min, max));
                if (!intervals.isEmpty()) {
                    row.put(metric + "_ci", List.of(intervals.stream().mapToDouble(i -> i[0]).average().orElseThrow(),
                            intervals.stream().mapToDouble(i -> i[1]).average().orElseThrow()));
                }
            }
            double[] paper = PAPER.get(variant);
            md.append(' ').append(Double.isNaN(paper[0]) ? "-" : number(paper[0])).append(" | ")
                    .append(Double.isNaN(paper[1]) ? "-" : number(paper[1])).append(" |\n");
            models.put(variant.equals("alt") ? "alttext" : variant, row);
        }
        md.append("\n`_ci` in the JSON is the mean of the seeds' 95 % bootstrap intervals (over images); `_spread` the"
                + " seeds' range. The paper's FID is on MS-COCO and its success is the human-rated one; ours are the"
                + " ShapesWorld analogues, so compare directions and ratios, not values.\n\n");

        md.append("## Paired differences from Alttext, per training seed\n\n| seed | model | overall | position |"
                + " colour_binding | count | counting_error | clip_score |\n|---|---|---|---|---|---|---|---|\n");
        for (int seed = 0; seed < in.comparisons().size(); seed++) {
            JsonNode entries = in.comparisons().get(seed).path("models");
            for (int v = 1; v < entries.size(); v++) {
                JsonNode d = entries.get(v).path("differences");
                md.append("| ").append(seed + 1).append(" | ").append(label(variants.get(v))).append(" |");
                for (String metric : List.of("overall", "position", "colour_binding", "count", "counting_error",
                        "clip_score")) {
                    JsonNode i = d.path(metric);
                    md.append(i.path("estimate").isNumber() ? String.format(Locale.ROOT, " %+.3f [%+.3f, %+.3f] |",
                            i.path("estimate").asDouble(), i.path("low").asDouble(), i.path("high").asDouble()) : " - |");
                }
                md.append('\n');
            }
        }

        JsonNode captionMetrics = in.captionerEvaluation().path("manifest").path("metrics");
        Map<String, Object> captions = new LinkedHashMap<>();
        md.append("\n## Caption sets (").append(in.captioner()).append(" on 200 held-out scenes)\n\n| set | words"
                + " per caption | vocabulary | attribute precision | attribute recall | JS divergence to human"
                + " reference captions |\n|---|---|---|---|---|---|\n");
        for (String set : List.of("alt", "short", "long")) {
            Map<String, Object> stats = new LinkedHashMap<>();
            md.append("| ").append(set).append(" |");
            for (String metric : List.of("captions." + set + ".mean_words", "captions." + set + ".vocabulary",
                    "eval." + set + ".precision", "eval." + set + ".recall", "captions." + set + ".js_to_reference")) {
                JsonNode value = captionMetrics.path(metric);
                // A vocabulary is a count of words.
                md.append(' ').append(metric.endsWith(".vocabulary") && value.isNumber()
                        ? String.format(Locale.ROOT, "%.0f", value.asDouble()) : format(value)).append(" |");
                if (value.isNumber()) {
                    stats.put(metric.substring(metric.lastIndexOf('.') + 1), value.asDouble());
                }
            }
            md.append('\n');
            captions.put(set, stats);
        }

        md.append("\n## Wall time per stage (seconds, 2 CPU cores)\n\nThe text-to-image fine-tunes and evaluations run"
                + " as many at once as there are cores, so each `_all` row is their wall time, less than the sum of its"
                + " jobs.\n\n| stage | seconds |\n|---|---|\n");
        in.stageSeconds().forEach((stage, secs) -> md.append("| ").append(stage).append(" | ")
                .append(String.format(Locale.ROOT, "%.0f", secs)).append(" |\n"));

        Path chart = dir.resolve("recap-table-rates.png");
        ImageIO.write(ComparisonReport.chart(in.comparisons().get(0)), "png", chart.toFile());
        md.append("\n## Seed 1: rates with intervals, and every model's samples (same prompts, same noise)\n\n"
                + "![rates](recap-table-rates.png)\n\n");
        for (JsonNode entry : in.comparisons().get(0).path("models")) {
            ModelRef ref = Json.mapper().treeToValue(entry.path("model"), ModelRef.class);
            String file = "samples-" + ref.name() + ".png";
            samples.accept(ref, dir.resolve(file));
            md.append("![").append(ref.name()).append("](").append(file).append(")\n");
        }
        json.put("models", models);
        json.put("captions", captions);
        json.put("wall_seconds", in.stageSeconds());
        Files.write(dir.resolve("recap-table.json"), Json.writePretty(json));
        Path table = dir.resolve("recap-table.md");
        Files.writeString(table, md, StandardCharsets.UTF_8);
        return table;
    }

    private static String stepsOption(LaunchOptions options) {
        return options.budget().equals(options.presetBudget()) ? ""
                : " --t2i-steps " + options.budget().t2iSteps();
    }

    private static String label(String variant) {
        return switch (variant) {
            case "alt" -> "Alttext";
            case "short" -> "RECAP Short";
            case "long" -> "RECAP Long";
            default -> "RECAP Mix";
        };
    }


    private static String format(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "-";
    }

    private static String number(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : Math.abs(value) >= 1 ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }
}
