package io.recap.experiments.diffusion;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.recap.shapes.match.MatchCategory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Writes {@code RESULTS.md} from the JSON files {@link DiffusionExperiment} left in a directory:
 * {@code ExperimentReport [DIR]} (default {@code docs/diffusion}).
 */
@Command(name = "ExperimentReport", mixinStandardHelpOptions = true,
        description = "Writes RESULTS.md from the JSON files DiffusionExperiment left in a directory.")
public final class ExperimentReport implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "DIR", description = "The directory; default ${DEFAULT-VALUE}.")
    Path directory = Path.of("docs/diffusion");

    private ExperimentReport() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints. */
    static CommandLine commandLine() {
        return new CommandLine(new ExperimentReport());
    }

    @Override
    public Integer call() throws IOException {
        write(directory);
        return 0;
    }

    public static void write(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Text-to-image diffusion on ShapesWorld: measured results");
        lines.add("");
        lines.add("Written by `io.recap.experiments.diffusion.DiffusionExperiment` (see `README.md` here for how to rerun).");
        lines.add("Success = the ShapesWorld oracle reads the generated 32x32 image and the matcher finds every");
        lines.add("category the held-out LONG prompt specifies satisfied (GenEval-style); per-category columns count");
        lines.add("only images whose prompt evaluates that category.");
        lines.add("");
        List<JsonObject> runs = new ArrayList<>();
        for (String name : List.of("long", "alt")) {
            Path file = directory.resolve("results-" + name + ".json");
            if (Files.exists(file)) {
                runs.add(JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject());
            }
        }
        if (!runs.isEmpty()) {
            lines.add("## Trained on LONG captions vs alt-text");
            lines.add("");
            lines.add(header("run"));
            lines.add(separator());
            for (JsonObject run : runs) {
                lines.add(row(run.get("run").getAsString() + " (" + run.get("stepsDone").getAsInt() + " steps)",
                        run.getAsJsonObject("evaluation")));
            }
            lines.add("");
            lines.add("| run | scenes | steps | batch | minutes (this session) | steps/s | skipped | final loss | by objects in scene |");
            lines.add("|---|---|---|---|---|---|---|---|---|");
            for (JsonObject run : runs) {
                JsonObject evaluation = run.getAsJsonObject("evaluation");
                lines.add(String.format(Locale.ROOT, "| %s | %d (%s objects) | %d | %s | %s | %s | %d | %.4f | %s |",
                        run.get("run").getAsString(), run.get("trainingScenes").getAsInt(),
                        run.get("objectsPerScene").getAsString(), run.get("stepsDone").getAsInt(),
                        run.getAsJsonObject("preset").get("batchSize").getAsString(),
                        run.get("trainingMinutesThisSession").getAsString(),
                        run.get("stepsPerSecondThisSession").getAsString(), run.get("skippedSteps").getAsInt(),
                        run.get("finalLoss").getAsFloat(), byObjects(evaluation)));
            }
            lines.add("");
        }
        Path sweepFile = directory.resolve("guidance-sweep.json");
        if (Files.exists(sweepFile)) {
            JsonObject sweep = JsonParser.parseString(Files.readString(sweepFile, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            lines.add("## Guidance sweep (" + sweep.get("run").getAsString() + " model, "
                    + sweep.get("checkpoint").getAsString() + ")");
            lines.add("");
            lines.add(header("guidance"));
            lines.add(separator());
            JsonArray rows = sweep.getAsJsonArray("rows");
            for (JsonElement row : rows) {
                lines.add(row("w = " + row.getAsJsonObject().get("guidance").getAsString(), row.getAsJsonObject()));
            }
            lines.add("");
        }
        Path comparisonFile = directory.resolve("prediction-comparison.json");
        if (Files.exists(comparisonFile)) {
            JsonObject comparison = JsonParser.parseString(Files.readString(comparisonFile, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            lines.add("## Epsilon vs v prediction (LONG captions, same schedule, step "
                    + comparison.get("step").getAsInt() + ")");
            lines.add("");
            lines.add(header("prediction"));
            lines.add(separator());
            for (JsonElement row : comparison.getAsJsonArray("rows")) {
                lines.add(row(row.getAsJsonObject().get("prediction").getAsString(), row.getAsJsonObject()));
            }
            lines.add("");
        }
        Files.writeString(directory.resolve("RESULTS.md"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static String header(String first) {
        StringBuilder header = new StringBuilder("| " + first + " | images | overall |");
        for (MatchCategory category : MatchCategory.values()) {
            header.append(' ').append(category.name().toLowerCase(Locale.ROOT)).append(" |");
        }
        return header.append(" sampling s |").toString();
    }

    private static String separator() {
        return "|---|---|---|" + "---|".repeat(MatchCategory.values().length) + "---|";
    }

    private static String row(String label, JsonObject evaluation) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d x %d | %s |", label,
                evaluation.get("prompts").getAsInt(), evaluation.get("imagesPerPrompt").getAsInt(),
                percent(evaluation.getAsJsonObject("overall"))));
        JsonObject categories = evaluation.getAsJsonObject("categories");
        for (MatchCategory category : MatchCategory.values()) {
            row.append(' ').append(categories.has(category.name())
                    ? percent(categories.getAsJsonObject(category.name())) : "-").append(" |");
        }
        return row.append(' ').append(evaluation.get("seconds").getAsString()).append(" |").toString();
    }

    private static String byObjects(JsonObject evaluation) {
        StringBuilder text = new StringBuilder();
        for (var entry : evaluation.getAsJsonObject("overallByObjectCount").entrySet()) {
            text.append(text.isEmpty() ? "" : ", ").append(entry.getKey()).append(": ")
                    .append(percent(entry.getValue().getAsJsonObject()));
        }
        return text.toString();
    }

    private static String percent(JsonObject rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate.get("rate").getAsDouble() * 100);
    }
}
