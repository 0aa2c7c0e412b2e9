package io.recap.experiments.captioner;

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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the captioner pipeline and writes its quality report (Markdown) and loss curves.
 *
 * <p>Options, all optional ({@code --help} lists them with their defaults): {@code --preset smoke|small|paper}
 * (default small), {@code --corpus DIR} (read, or generated there when absent), {@code --corpus-seed 42},
 * {@code --store DIR}, {@code --out DIR} (loss curves), {@code --report FILE} (default
 * {@code out/quality.md}), {@code --seed 7}, {@code --version vN} (default: next free),
 * {@code --promote} (point the store's captioner pointer at the fine-tuned version),
 * {@code --notes FILE} (Markdown appended to the report), {@code --ablation-train-images N} (fine-tune on N
 * train-split scenes' SHORT/LONG captions instead of the 100 human ones: measures the human set's size).
 * Overrides of the preset: {@code --pretrain-steps}, {@code --pretrain-lr}, {@code --pretrain-batch},
 * {@code --pretrain-dropout}, {@code --finetune-steps}, {@code --finetune-lr}, {@code --finetune-batch},
 * {@code --finetune-dropout}, {@code --finetune-freeze imageEncoder,crossAttention} (parameter-path parts
 * fine-tuning leaves frozen), {@code --finetune-rehearsal 0.25} (share of each fine-tuning batch from the
 * pretraining captions), {@code --finetune-style-init reference|terse|grounded|none} (SHORT/LONG tokens start as
 * copies of that style; two, comma-separated, for SHORT then LONG), {@code --pretrain-scenes}, {@code --eval},
 * {@code --rerender}, {@code --width}, {@code --layers}, {@code --encoder-channels}, {@code --short-beam},
 * {@code --long-beam}, {@code --short-no-repeat}, {@code --long-no-repeat} (n-gram length never repeated),
 * {@code --long-length-penalty} (alpha of the beam's length normalisation). {@code --base captioner/NAME/VERSION}
 * skips pretraining and only fine-tunes that published base again (a tuning aid; prints the fine-tuned rows, and
 * with {@code --also-beam N} the rows of beam N too; writes no report).
 */
// No mixinStandardHelpOptions: --version names the captioner version to publish, not this program's.
@Command(name = "CaptionerExperiment", sortOptions = false,
        description = "Runs the captioner pipeline and writes its quality report (Markdown) and loss curves.")
public final class CaptionerExperiment implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--preset", paramLabel = "smoke|small|paper", description = "default ${DEFAULT-VALUE}")
    String preset = "small";

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "Read, or generated there when absent; default target/captioner-corpus-PRESET.")
    Path corpus;

    @Option(names = "--corpus-seed", paramLabel = "S", description = "default ${DEFAULT-VALUE}")
    long corpusSeed = 42;

    @Option(names = "--store", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
    Path store = Path.of("target/captioner-store");

    @Option(names = "--out", paramLabel = "DIR", description = "Loss curves; default target/captioner-PRESET.")
    Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "default OUT/quality.md")
    Path report;

    @Option(names = "--seed", paramLabel = "S", description = "default ${DEFAULT-VALUE}")
    int seed = 7;

    @Option(names = "--version", paramLabel = "vN", description = "default: the next free version")
    String version;

    @Option(names = "--promote", arity = "0..1", paramLabel = "true|false",
            description = "Point the store's captioner pointer at the fine-tuned version.")
    boolean promote;

    @Option(names = "--notes", paramLabel = "FILE", description = "Markdown appended to the report.")
    Path notes;

    @Option(names = "--ablation-train-images", paramLabel = "N", description = "Fine-tune on N train-split "
            + "scenes' SHORT/LONG captions instead of the human ones.")
    Integer ablationTrainImages;

    @Option(names = "--base", paramLabel = "captioner/NAME/VERSION",
            description = "Only fine-tune this published base again and print its rows.")
    String base;

    @Option(names = "--also-beam", paramLabel = "N", description = "With --base: also print the rows of beam N.")
    Integer alsoBeam;

    @Option(names = "--pretrain-steps", paramLabel = "N", description = "default: the preset's")
    Integer pretrainSteps;

    @Option(names = "--pretrain-lr", paramLabel = "R", description = "default: the preset's")
    Float pretrainLr;

    @Option(names = "--pretrain-batch", paramLabel = "N", description = "default: the preset's")
    Integer pretrainBatch;

    @Option(names = "--pretrain-dropout", paramLabel = "P", description = "default: the preset's")
    Float pretrainDropout;

    @Option(names = "--finetune-steps", paramLabel = "N", description = "default: the preset's")
    Integer finetuneSteps;

    @Option(names = "--finetune-lr", paramLabel = "R", description = "default: the preset's")
    Float finetuneLr;

    @Option(names = "--finetune-batch", paramLabel = "N", description = "default: the preset's")
    Integer finetuneBatch;

    @Option(names = "--finetune-dropout", paramLabel = "P", description = "default: the preset's")
    Float finetuneDropout;

    @Option(names = "--finetune-freeze", paramLabel = "PART[,PART...]",
            description = "Parameter-path parts fine-tuning leaves frozen; default: the preset's.")
    String finetuneFreeze;

    @Option(names = "--finetune-rehearsal", paramLabel = "SHARE",
            description = "Share of each fine-tuning batch from the pretraining captions; default: the preset's.")
    Float finetuneRehearsal;

    @Option(names = "--finetune-style-init", paramLabel = "STYLE[,STYLE]", description = "reference, terse, "
            + "grounded or none: SHORT/LONG tokens start as copies of that style; default: the preset's.")
    String finetuneStyleInit;

    @Option(names = "--pretrain-scenes", paramLabel = "N", description = "default: the preset's")
    Integer pretrainScenes;

    @Option(names = "--eval", paramLabel = "N", description = "Eval scenes; default: the preset's.")
    Integer eval;

    @Option(names = "--rerender", arity = "0..1", paramLabel = "true|false",
            description = "Fine-tune on copies re-rendered with fresh jitter; default: the preset's.")
    Boolean rerender;

    @Option(names = "--width", paramLabel = "N", description = "default: the preset's")
    Integer width;

    @Option(names = "--layers", paramLabel = "N", description = "default: the preset's")
    Integer layers;

    @Option(names = "--encoder-channels", paramLabel = "N", description = "default: the preset's")
    Integer encoderChannels;

    @Option(names = "--short-beam", paramLabel = "N", description = "default: the preset's")
    Integer shortBeam;

    @Option(names = "--long-beam", paramLabel = "N", description = "default: the preset's")
    Integer longBeam;

    @Option(names = "--short-no-repeat", paramLabel = "N", description = "n-gram length never repeated")
    Integer shortNoRepeat;

    @Option(names = "--long-no-repeat", paramLabel = "N", description = "n-gram length never repeated")
    Integer longNoRepeat;

    @Option(names = "--long-length-penalty", paramLabel = "ALPHA",
            description = "Alpha of the beam's length normalisation; default: the preset's.")
    Float longLengthPenalty;

    private CaptionerExperiment() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; returns the exit status. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command, for {@link #run(String...)} and for tests that read what it prints or parses. */
    static CommandLine commandLine() {
        return new CommandLine(new CaptionerExperiment());
    }

    @Override
    public Integer call() throws Exception {
        CaptionerPipelinePreset pipelinePreset;
        try {
            pipelinePreset = configure();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        EngineInfo engine = DjlRuntime.start();
        Path outDir = out != null ? out : Path.of("target/captioner-" + pipelinePreset.name());
        Path reportFile = report != null ? report : outDir.resolve("quality.md");
        Path corpusDir = corpus != null ? corpus : Path.of("target/captioner-corpus-" + pipelinePreset.name());
        Files.createDirectories(outDir);
        ModelStore modelStore = new ModelStore(store);

        System.out.println("engine: " + engine);
        System.out.println("preset: " + pipelinePreset);
        long begin = System.nanoTime();
        CaptionerPipeline pipeline = new CaptionerPipeline(pipelinePreset, corpusDir, corpusSeed, modelStore, outDir,
                seed);
        if (ablationTrainImages != null) {
            pipeline.fineTuneOnTrainSplit(ablationTrainImages);
        }
        if (version != null) {
            pipeline.version(version);
        }
        if (base != null) {
            // Tuning aid: fine-tune an already published base again, print its rows only.
            CaptionerPipeline.Stage stage = pipeline.fineTune(io.recap.core.domain.ModelRef.parse(base));
            List<QualityRow> rows = new java.util.ArrayList<>(stage.quality());
            if (alsoBeam != null) {
                try (io.recap.ml.captioner.CaptionerModel model = io.recap.ml.captioner.CaptionerModel.load(
                        modelStore.directory(stage.ref()))) {
                    io.recap.shapesml.captioner.eval.CaptionerEvaluator evaluator =
                            new io.recap.shapesml.captioner.eval.CaptionerEvaluator(
                                    pipeline.corpus().evaluation(pipelinePreset.evalScenes()));
                    for (String style : List.of("short", "long")) {
                        rows.add(evaluator.evaluate(stage.ref().toString(), model, style,
                                DecodingOptions.beam(alsoBeam)));
                    }
                }
            }
            System.out.println(QualityTable.markdown(rows));
            System.out.printf(Locale.ROOT, "fine-tuning %s in %.1f s%n", stage.ref(),
                    stage.training().duration().toMillis() / 1000.0);
            return 0;
        }
        CaptionerPipeline.Result result = pipeline.run();
        double totalSeconds = (System.nanoTime() - begin) / 1e9;
        if (promote) {
            modelStore.promote(result.recap().ref());
            System.out.println("promoted " + modelStore.promoted(ModelKind.CAPTIONER).orElseThrow());
        }
        String table = QualityTable.markdown(result.rows());
        System.out.println(table);
        Files.createDirectories(reportFile.toAbsolutePath().getParent());
        String[] args = spec.commandLine().getParseResult().originalArgs().toArray(String[]::new);
        Files.writeString(reportFile, report(args, pipelinePreset, engine, pipeline, result, seed, corpusSeed,
                totalSeconds, table, outDir, notes != null ? Files.readString(notes) : null), StandardCharsets.UTF_8);
        System.out.println("report written to " + reportFile);
        return 0;
    }

    /** The preset named by {@code --preset} with every override given applied. */
    CaptionerPipelinePreset configure() {
        CaptionerPipelinePreset configured = CaptionerPipelinePreset.byName(preset);
        configured = configured.withPretraining(override(configured.pretraining(), pretrainSteps, pretrainBatch,
                pretrainLr, pretrainDropout));
        configured = configured.withFineTuning(override(configured.fineTuning(), finetuneSteps, finetuneBatch,
                finetuneLr, finetuneDropout));
        CaptionerConfig config = configured.captioner();
        if (width != null || layers != null || encoderChannels != null) {
            config = new CaptionerConfig(config.imageSize(), config.gridSize(),
                    encoderChannels != null ? encoderChannels : config.encoderChannels(),
                    width != null ? width : config.width(), layers != null ? layers : config.layers(),
                    config.heads(), config.dropout(), config.maxTokens());
            configured = configured.withCaptioner(config);
        }
        DecodingOptions shortOptions = configured.shortDecoding();
        DecodingOptions longOptions = configured.longDecoding();
        if (shortBeam != null) {
            shortOptions = DecodingOptions.beam(shortBeam).withMaxTokens(shortOptions.maxTokens());
        }
        if (longBeam != null) {
            longOptions = DecodingOptions.beam(longBeam)
                    .withMaxTokens(longOptions.maxTokens()).withNoRepeatNgram(longOptions.noRepeatNgram());
        }
        if (longLengthPenalty != null) {
            longOptions = longOptions.withLengthPenalty(longLengthPenalty);
        }
        if (shortNoRepeat != null) {
            shortOptions = shortOptions.withNoRepeatNgram(shortNoRepeat);
        }
        if (longNoRepeat != null) {
            longOptions = longOptions.withNoRepeatNgram(longNoRepeat);
        }
        configured = configured.withDecoding(shortOptions, longOptions);
        configured = configured.withFineTuningStart(
                finetuneFreeze != null
                        ? List.of(finetuneFreeze.split(",")).stream().filter(p -> !p.isBlank()).toList()
                        : configured.frozenParts(),
                (finetuneStyleInit != null ? finetuneStyleInit : configured.styleTokensFrom()).replace("none", ""));
        int scenesToPretrain = pretrainScenes != null ? pretrainScenes : configured.pretrainScenes();
        int corpusScenes = Math.max(configured.corpusScenes(),
                scenesToPretrain + configured.humanScenes() + configured.evalScenes());
        configured = configured.withRehearsal(finetuneRehearsal != null ? finetuneRehearsal : configured.rehearsal());
        return configured.withData(corpusScenes, scenesToPretrain, eval != null ? eval : configured.evalScenes(),
                rerender != null ? rerender : configured.rerender());
    }

    /** A training stage's preset with the options given; a new learning rate scales the final one with it. */
    private static CaptionerTrainingPreset override(CaptionerTrainingPreset p, Integer steps, Integer batch, Float lr,
            Float dropout) {
        int stageSteps = steps != null ? steps : p.steps();
        float learningRate = lr != null ? lr : p.learningRate();
        float last = lr != null ? learningRate * p.finalLearningRate() / p.learningRate() : p.finalLearningRate();
        int warmup = Math.min(p.warmupSteps(), stageSteps);
        return new CaptionerTrainingPreset(p.name(), stageSteps, batch != null ? batch : p.batchSize(), learningRate,
                last, warmup, p.maxGradientNorm(), dropout != null ? dropout : p.dropout(), p.reportEvery(), p.seed());
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
