package io.recap.shapesml.diffusion;

import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.SampleSheet;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.shapes.match.CategoryRate;
import io.recap.shapes.match.MatchCategory;
import io.recap.shapes.match.MatchReport;
import io.recap.shapes.match.MatchSummary;
import io.recap.shapes.match.Matcher;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scores a text-to-image model the GenEval way: sample images for held-out prompts, read each
 * back with the ShapesWorld oracle and match it against its prompt per category.
 *
 * @param label what was evaluated (model and settings), for tables
 * @param prompts the prompts, with their scenes
 * @param options sampling settings
 * @param images prompt-major, {@code options.imagesPerPrompt()} per prompt
 * @param reports one per image
 * @param seconds wall time of sampling and scoring
 */
public record PromptEvaluation(String label, List<ShapesWorldData.EvaluationPrompt> prompts, SamplingOptions options,
        List<BufferedImage> images, List<MatchReport> reports, double seconds) {

    public static PromptEvaluation run(String label, DiffusionModel model, List<ShapesWorldData.EvaluationPrompt> prompts,
            SamplingOptions options) {
        long begin = System.nanoTime();
        List<String> texts = prompts.stream().map(ShapesWorldData.EvaluationPrompt::prompt).toList();
        List<BufferedImage> images = model.sample(texts, options);
        List<MatchReport> reports = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            reports.add(Matcher.match(texts.get(i / options.imagesPerPrompt()), images.get(i)));
        }
        return new PromptEvaluation(label, prompts, options, images, reports, (System.nanoTime() - begin) / 1e9);
    }

    public MatchSummary summary() {
        return MatchSummary.of(reports);
    }

    /** Overall success rate by the number of objects in the prompt's scene. */
    public Map<Integer, CategoryRate> overallByObjectCount() {
        Map<Integer, int[]> counts = new java.util.TreeMap<>();
        for (int i = 0; i < reports.size(); i++) {
            int objects = prompts.get(i / options.imagesPerPrompt()).scene().objects().size();
            int[] c = counts.computeIfAbsent(objects, k -> new int[2]);
            c[0]++;
            if (reports.get(i).overall()) {
                c[1]++;
            }
        }
        return counts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new CategoryRate(e.getValue()[0], e.getValue()[1]), (a, b) -> a, java.util.TreeMap::new));
    }

    /** The numbers as a JSON-ready map. */
    public Map<String, Object> toJson() {
        MatchSummary summary = summary();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("label", label);
        json.put("prompts", prompts.size());
        json.put("imagesPerPrompt", options.imagesPerPrompt());
        json.put("ddimSteps", options.steps());
        json.put("guidance", options.guidanceScale());
        json.put("seed", options.seed());
        json.put("seconds", Math.round(seconds * 10) / 10.0);
        json.put("overall", rate(summary.overall()));
        Map<String, Object> categories = new LinkedHashMap<>();
        for (MatchCategory category : MatchCategory.values()) {
            CategoryRate rate = summary.categories().get(category);
            if (rate != null) {
                categories.put(category.name(), rate(rate));
            }
        }
        json.put("categories", categories);
        Map<String, Object> byObjects = new LinkedHashMap<>();
        overallByObjectCount().forEach((objects, rate) -> byObjects.put(String.valueOf(objects), rate(rate)));
        json.put("overallByObjectCount", byObjects);
        return json;
    }

    private static Map<String, Object> rate(CategoryRate rate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rate", Math.round(rate.rate() * 10_000) / 10_000.0);
        json.put("passed", rate.passed());
        json.put("evaluated", rate.evaluated());
        return json;
    }

    /** A sample grid of the first {@code count} prompts with each image's verdict. */
    public void writeSheet(int count, Path png) throws IOException {
        int per = options.imagesPerPrompt();
        int shown = Math.min(count, prompts.size());
        List<String> texts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int p = 0; p < shown; p++) {
            texts.add(prompts.get(p).prompt());
            StringBuilder note = new StringBuilder("verdicts: ");
            for (int k = 0; k < per; k++) {
                MatchReport report = reports.get(p * per + k);
                note.append(report.overall() ? "PASS" : "fail " + failed(report)).append(k + 1 < per ? "; " : "");
            }
            notes.add(note.toString());
        }
        SampleSheet.write(texts, images.subList(0, shown * per), per, notes,
                String.format(Locale.ROOT, "%s, w=%.1f", label, options.guidanceScale()), png);
    }

    private static String failed(MatchReport report) {
        return report.results().entrySet().stream().filter(e -> !e.getValue())
                .map(e -> e.getKey().name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    }
}
