package io.recap.experiments.captioner;

import io.recap.experiments.KeyValueArgs;
import io.recap.core.domain.ModelKind;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.runtime.EngineInfo;
import io.recap.ml.training.TrainingReport;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.Split;
import io.recap.shapesml.captioner.eval.QualityRow;
import io.recap.shapesml.captioner.eval.QualityTable;
import io.recap.shapesml.captioner.pipeline.CaptionerPipeline;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the captioner pipeline and writes its quality report (Markdown) and loss curves.
 *
 * <p>Arguments, all optional, as key=value: {@code preset=smoke|small|paper} (default small),
 * {@code corpus=DIR} (read, or generated there when absent), {@code corpusSeed=42},
 * {@code store=DIR}, {@code out=DIR} (loss curves), {@code report=FILE} (default
 * {@code out/quality.md}), {@code seed=7}, {@code version=vN} (default: next free),
 * {@code promote=true} (point the store's captioner pointer at the fine-tuned version),
 * {@code notes=FILE} (Markdown appended to the report), {@code ablation.trainImages=N} (fine-tune on N
 * train-split scenes' SHORT/LONG captions instead of the 100 human ones: measures the human set's size).
 * Overrides of the preset: {@code pretrain.steps}, {@code pretrain.lr}, {@code pretrain.batch},
 * {@code finetune.steps}, {@code finetune.lr}, {@code finetune.batch}, {@code finetune.dropout},
 * {@code finetune.freeze=imageEncoder,crossAttention} (parameter-path parts fine-tuning leaves frozen),
 * {@code finetune.rehearsal=0.25} (share of each fine-tuning batch from the pretraining captions), {@code finetune.styleInit=reference|terse|grounded|none} (SHORT/LONG tokens start as copies of that style; two, comma-separated, for SHORT then LONG),
 * {@code pretrainScenes}, {@code eval}, {@code rerender}, {@code width}, {@code layers}, {@code encoderChannels},
 * {@code short.beam}, {@code long.beam}, {@code short.noRepeat}, {@code long.noRepeat} (n-gram length never repeated),
 * {@code long.lengthPenalty} (alpha of the beam's length normalisation). {@code base=captioner/NAME/VERSION} skips pretraining and
 * only fine-tunes that published base again (a tuning aid; prints the fine-tuned rows, writes no report).
 */
public final class CaptionerExperiment {

    private CaptionerExperiment() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = KeyValueArgs.parse(args);
        EngineInfo engine = DjlRuntime.start();
        CaptionerPipelinePreset preset = configure(options);
        Path out = Path.of(options.getOrDefault("out", "target/captioner-" + preset.name()));
        Path report = Path.of(options.getOrDefault("report", out.resolve("quality.md").toString()));
        Path corpusDir = Path.of(options.getOrDefault("corpus", "target/captioner-corpus-" + preset.name()));
        Path storeDir = Path.of(options.getOrDefault("store", "target/captioner-store"));
        long corpusSeed = Long.parseLong(options.getOrDefault("corpusSeed", "42"));
        int seed = Integer.parseInt(options.getOrDefault("seed", "7"));
        Files.createDirectories(out);
        ModelStore store = new ModelStore(storeDir);

        System.out.println("engine: " + engine);
        System.out.println("preset: " + preset);
        long begin = System.nanoTime();
        CaptionerPipeline pipeline = new CaptionerPipeline(preset, corpusDir, corpusSeed, store, out, seed);
        if (options.containsKey("ablation.trainImages")) {
            pipeline.fineTuneOnTrainSplit(Integer.parseInt(options.get("ablation.trainImages")));
        }
        if (options.containsKey("version")) {
            pipeline.version(options.get("version"));
        }
        if (options.containsKey("base")) {
            // Tuning aid: fine-tune an already published base again, print its rows only.
            CaptionerPipeline.Stage stage = pipeline.fineTune(io.recap.core.domain.ModelRef.parse(options.get("base")));
            List<QualityRow> rows = new java.util.ArrayList<>(stage.quality());
            if (options.containsKey("also.beam")) {
                int beam = Integer.parseInt(options.get("also.beam"));
                try (io.recap.ml.captioner.CaptionerModel model = io.recap.ml.captioner.CaptionerModel.load(
                        store.directory(stage.ref()))) {
                    io.recap.shapesml.captioner.eval.CaptionerEvaluator evaluator =
                            new io.recap.shapesml.captioner.eval.CaptionerEvaluator(
                                    pipeline.corpus().evaluation(preset.evalScenes()));
                    for (String style : List.of("short", "long")) {
                        rows.add(evaluator.evaluate(stage.ref().toString(), model, style, DecodingOptions.beam(beam)));
                    }
                }
            }
            System.out.println(QualityTable.markdown(rows));
            System.out.printf(Locale.ROOT, "fine-tuning %s in %.1f s%n", stage.ref(),
                    stage.training().duration().toMillis() / 1000.0);
            return;
        }
        CaptionerPipeline.Result result = pipeline.run();
        double totalSeconds = (System.nanoTime() - begin) / 1e9;
        if (Boolean.parseBoolean(options.getOrDefault("promote", "false"))) {
            store.promote(result.recap().ref());
            System.out.println("promoted " + store.promoted(ModelKind.CAPTIONER).orElseThrow());
        }
        String table = QualityTable.markdown(result.rows());
        System.out.println(table);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, report(args, preset, engine, pipeline, result, seed, corpusSeed, totalSeconds,
                table, out, options.containsKey("notes") ? Files.readString(Path.of(options.get("notes"))) : null),
                StandardCharsets.UTF_8);
        System.out.println("report written to " + report);
    }

    static CaptionerPipelinePreset configure(Map<String, String> options) {
        CaptionerPipelinePreset preset = CaptionerPipelinePreset.byName(options.getOrDefault("preset", "small"));
        preset = preset.withPretraining(override(preset.pretraining(), options, "pretrain."));
        preset = preset.withFineTuning(override(preset.fineTuning(), options, "finetune."));
        CaptionerConfig config = preset.captioner();
        if (options.containsKey("width") || options.containsKey("layers") || options.containsKey("encoderChannels")) {
            int width = Integer.parseInt(options.getOrDefault("width", String.valueOf(config.width())));
            int layers = Integer.parseInt(options.getOrDefault("layers", String.valueOf(config.layers())));
            int encoderChannels = Integer.parseInt(options.getOrDefault("encoderChannels",
                    String.valueOf(config.encoderChannels())));
            config = new CaptionerConfig(config.imageSize(), config.gridSize(), encoderChannels, width,
                    layers, config.heads(), config.dropout(), config.maxTokens());
            preset = preset.withCaptioner(config);
        }
        DecodingOptions shortOptions = preset.shortDecoding();
        DecodingOptions longOptions = preset.longDecoding();
        if (options.containsKey("short.beam")) {
            shortOptions = DecodingOptions.beam(Integer.parseInt(options.get("short.beam")))
                    .withMaxTokens(shortOptions.maxTokens());
        }
        if (options.containsKey("long.beam")) {
            longOptions = DecodingOptions.beam(Integer.parseInt(options.get("long.beam")))
                    .withMaxTokens(longOptions.maxTokens()).withNoRepeatNgram(longOptions.noRepeatNgram());
        }
        if (options.containsKey("long.lengthPenalty")) {
            longOptions = longOptions.withLengthPenalty(Float.parseFloat(options.get("long.lengthPenalty")));
        }
        if (options.containsKey("short.noRepeat")) {
            shortOptions = shortOptions.withNoRepeatNgram(Integer.parseInt(options.get("short.noRepeat")));
        }
        if (options.containsKey("long.noRepeat")) {
            longOptions = longOptions.withNoRepeatNgram(Integer.parseInt(options.get("long.noRepeat")));
        }
        preset = preset.withDecoding(shortOptions, longOptions);
        preset = preset.withFineTuningStart(
                options.containsKey("finetune.freeze")
                        ? List.of(options.get("finetune.freeze").split(",")).stream().filter(p -> !p.isBlank()).toList()
                        : preset.frozenParts(),
                options.getOrDefault("finetune.styleInit", preset.styleTokensFrom()).replace("none", ""));
        int pretrainScenes = Integer.parseInt(options.getOrDefault("pretrainScenes",
                String.valueOf(preset.pretrainScenes())));
        int corpusScenes = Math.max(preset.corpusScenes(),
                pretrainScenes + preset.humanScenes() + preset.evalScenes());
        preset = preset.withRehearsal(Float.parseFloat(options.getOrDefault("finetune.rehearsal",
                String.valueOf(preset.rehearsal()))));
        return preset.withData(corpusScenes, pretrainScenes,
                Integer.parseInt(options.getOrDefault("eval", String.valueOf(preset.evalScenes()))),
                Boolean.parseBoolean(options.getOrDefault("rerender", String.valueOf(preset.rerender()))));
    }

    private static CaptionerTrainingPreset override(CaptionerTrainingPreset p, Map<String, String> options,
            String prefix) {
        int steps = Integer.parseInt(options.getOrDefault(prefix + "steps", String.valueOf(p.steps())));
        int batch = Integer.parseInt(options.getOrDefault(prefix + "batch", String.valueOf(p.batchSize())));
        float lr = Float.parseFloat(options.getOrDefault(prefix + "lr", String.valueOf(p.learningRate())));
        float last = options.containsKey(prefix + "lr") ? lr * p.finalLearningRate() / p.learningRate()
                : p.finalLearningRate();
        float dropout = Float.parseFloat(options.getOrDefault(prefix + "dropout", String.valueOf(p.dropout())));
        int warmup = Math.min(p.warmupSteps(), steps);
        return new CaptionerTrainingPreset(p.name(), steps, batch, lr, last, warmup, p.maxGradientNorm(), dropout,
                p.reportEvery(), p.seed());
    }

    private static String report(String[] args, CaptionerPipelinePreset preset, EngineInfo engine,
            CaptionerPipeline pipeline, CaptionerPipeline.Result result, int seed, long corpusSeed,
            double totalSeconds, String table, Path out, String notes) {
        StringBuilder md = new StringBuilder();
        md.append("# Captioner quality (RECAP step 1), preset `").append(preset.name()).append("`\n\n");
        md.append("Generated by `io.recap.experiments.captioner.CaptionerExperiment` on ")
                .append(Instant.now()).append(".\n\n");
        md.append("Captions of the ").append(result.recap().quality().get(0).summary().captions())
                .append(" held-out eval-split scenes of corpus `").append(result.corpusId())
                .append("`, parsed back with ShapesWorld's `CaptionParser` and scored against the scene's ground truth"
                        + " (`CaptionAccuracy`). P = precision (stated facts that are right), R = recall (facts of"
                        + " the scene stated right); hallucinated objects = objects mentioned that are not in the"
                        + " scene; names every object = every object named with its shape, colour and count;"
                        + " exact object list = that, and nothing invented. Neither captioner ever saw these scenes"
                        + " or their captions.\n\n");
        md.append(table).append('\n');
        md.append("## Reproduce\n\n```\n")
                .append("mvn -B -o -q -pl recap-experiments -am package -DskipTests\n")
                .append("java -Drecap.ml.threads=1 -cp recap-experiments/target/recap-experiments.jar \\\n    ")
                .append("io.recap.experiments.captioner.CaptionerExperiment ").append(String.join(" ", args))
                .append("\n```\n\n");
        md.append("## Setup\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "corpus", "`" + result.corpusId() + "` (seed " + corpusSeed + ", " + preset.imageSize() + "x"
                + preset.imageSize() + "; " + preset.humanScenes() + " human, " + preset.evalScenes() + " eval), ready in "
                + seconds(result.corpusTime().toMillis() / 1000.0));
        row(md, "captioner", preset.captioner().toString());
        row(md, "engine", engine.toString());
        row(md, "seeds", "weights/batches/jitter " + seed + ", dropout " + preset.pretraining().seed()
                + ", corpus " + corpusSeed);
        stage(md, "pretraining → `" + result.base().ref() + "`", "terse (`<terse>`), reference (`<reference>`) and grounded (`<grounded>`) captions of "
                + preset.pretrainScenes() + " train scenes", preset.pretraining(), result.base().training());
        stage(md, "RECAP fine-tuning → `" + result.recap().ref() + "`", "human split only ("
                + preset.humanScenes() + " images), each batch 50/50 SHORT/LONG"
                + (preset.rehearsal() > 0 ? " besides " + Math.round(preset.rehearsal() * 100)
                        + "% rehearsing pretraining captions" : "")
                + (preset.rerender() ? ", copies re-rendered with fresh jitter" : "")
                + (preset.frozenParts().isEmpty() ? "" : ", frozen " + preset.frozenParts())
                + (preset.styleTokensFrom().isEmpty() ? ""
                        : ", `<short>` starts as a copy of `<" + preset.shortTokenFrom() + ">`, `<long>` of `<"
                                + preset.longTokenFrom() + ">`"),
                preset.fineTuning(), result.recap().training());
        row(md, "decoding", "terse/SHORT " + preset.shortDecoding().describe() + ", LONG "
                + preset.longDecoding().describe());
        row(md, "evaluation wall time", "base " + seconds(result.base().evaluation().toMillis() / 1000.0)
                + ", fine-tuned " + seconds(result.recap().evaluation().toMillis() / 1000.0));
        row(md, "total wall time", seconds(totalSeconds));
        md.append("\nLoss curves: `").append(out.resolve("loss-pretrain-" + preset.name() + ".png")).append("`, `")
                .append(out.resolve("loss-finetune-" + preset.name() + ".png")).append("`.\n\n");
        md.append("## Examples (first eval scenes)\n\n");
        List<CorpusEntry> eval = pipeline.corpus().entries(Split.EVAL);
        for (int i = 0; i < Math.min(3, eval.size()); i++) {
            md.append("- `").append(eval.get(i).id()).append("` truth: ")
                    .append(eval.get(i).captions().longCaption()).append('\n');
            for (QualityRow r : result.rows()) {
                md.append("  - ").append(r.source()).append(' ').append(r.style()).append(": ")
                        .append(r.captions().get(i)).append('\n');
            }
        }
        if (notes != null) {
            md.append('\n').append(notes);
        }
        return md.toString();
    }

    private static void stage(StringBuilder md, String title, String data, CaptionerTrainingPreset p,
            TrainingReport report) {
        row(md, title, data + "; " + p.steps() + " steps, batch " + p.batchSize() + ", lr " + p.learningRate()
                + " → " + p.finalLearningRate() + " (warm-up " + p.warmupSteps() + "), dropout " + p.dropout()
                + "; wall time " + seconds(report.duration().toMillis() / 1000.0) + String.format(Locale.ROOT,
                        " (%.2f steps/s), loss %.3f → %.3f, %d steps skipped", report.stepsPerSecond(),
                        report.initialLoss(0.05), report.finalLoss(0.05), report.skippedSteps()));
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    private static void row(StringBuilder md, String key, String value) {
        md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
