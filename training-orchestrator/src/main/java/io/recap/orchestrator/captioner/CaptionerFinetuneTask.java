package io.recap.orchestrator.captioner;

import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.store.AllowedRoots;
import io.recap.core.store.UnsafePathException;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.orchestrator.jobs.CaptionerFinetuneSpec;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.task.Checkpoint;
import io.recap.orchestrator.task.TaskContext;
import io.recap.orchestrator.task.TaskParams;
import io.recap.orchestrator.task.TrainingTask;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapesml.captioner.eval.CaptionerEvaluator;
import io.recap.shapesml.captioner.eval.QualityRow;
import io.recap.shapesml.captioner.pipeline.CaptionerPipeline;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CAPTIONER_FINETUNE: shapes-world-ml's {@link CaptionerPipeline} on a ShapesWorld corpus directory. Without
 * {@code spec.baseModel} it pretrains a base captioner on terse captions ({@code captioner/shapes-base/vN}), then
 * fine-tunes it on the corpus's human split, half SHORT and half LONG ({@code captioner/shapes/vN}); with
 * {@code spec.baseModel} it fine-tunes that captioner only. Each stage is evaluated on the corpus's held-out eval
 * split and published with its manifest; the quality rows become the job's metrics ({@code eval.<style>.*} of the
 * fine-tuned captioner, {@code base.eval.<style>.*} of the base, {@code eval.alt.*} of the corpus alt-text).
 *
 * <p>Corpus directory: {@code spec.humanSet}, else {@code spec.corpusId}, names a directory directly under one of
 * the orchestrator's image roots ({@code recap.orchestrator.ingest.allowed-roots}), holding a ShapesWorld corpus
 * ({@code manifest.jsonl}, {@code corpus.json}, {@code images/}) as {@code shapes-world generate} writes it. The name
 * is resolved by {@code AllowedRoots} (first root where it exists); a missing directory fails the job unless
 * {@code params.generateCorpus=true}, which generates the preset's corpus there (seed {@code params.corpusSeed}).
 *
 * <p>Resume at stage granularity: once the base captioner is published the task announces a checkpoint at step
 * {@code pretrain steps} holding {@value #BASE_FILE} (the base's model ref), so a later attempt fine-tunes that
 * base instead of pretraining again. Progress counts pretraining and fine-tuning steps as one total.
 *
 * <p>Params: {@code pretrainSteps}, {@code fineTuneSteps}, {@code rehearsal} (the preset's share of each
 * fine-tuning batch drawn from the pretraining captions, in [0, 0.95]), {@code seed} (1), {@code baseName} ({@code shapes-base}),
 * {@code modelName} ({@code shapes}), {@code generateCorpus} (false), {@code corpusSeed} (7), {@code pretrainOnly}
 * (false; true stops after publishing the base: how a captioner base like the one shipped under {@code models/} is
 * rebuilt through the platform).
 */
public final class CaptionerFinetuneTask implements TrainingTask {

    /** The file of the stage checkpoint: one line, the published base captioner's ref. */
    static final String BASE_FILE = "base-captioner.txt";
    /** What the pipeline logs for each progress report: {@code <stage> step N/M loss L ...}. */
    private static final Pattern PROGRESS = Pattern.compile("^(pretrain|finetune) step (\\d+)/(\\d+) loss (\\S+).*");

    private final List<Path> corpusRoots;

    public CaptionerFinetuneTask(List<Path> corpusRoots) {
        this.corpusRoots = List.copyOf(corpusRoots);
    }

    @Override
    public JobKind kind() {
        return JobKind.CAPTIONER_FINETUNE;
    }

    @Override
    public void run(JobSpec jobSpec, TaskContext context) throws Exception {
        CaptionerFinetuneSpec spec = (CaptionerFinetuneSpec) jobSpec;
        TaskParams params = new TaskParams(context.params());
        CaptionerPipelinePreset preset = preset(spec.preset(), params);
        int seed = params.intValue("seed", 1, 0, Integer.MAX_VALUE);
        long corpusSeed = params.longValue("corpusSeed", 7);
        boolean generate = params.booleanValue("generateCorpus", false);
        String baseName = safeId(params, "baseName", CaptionerPipeline.BASE_NAME);
        String modelName = safeId(params, "modelName", CaptionerPipeline.RECAP_NAME);
        Path corpusDirectory = corpusDirectory(spec, generate);

        ModelRef base = spec.baseModel();
        if (base != null && context.models().manifest(base).isTorchScript()) {
            context.throwIfCancelled();
            CaptionerPipeline pipeline = new CaptionerPipeline(preset, corpusDirectory, corpusSeed, context.models(),
                    context.checkpointDirectory(), seed).names(baseName, modelName).log(context::log);
            ImportedCaptionerFinetune.run(base, pipeline, preset, seed, modelName, params, context);
            return;
        }
        Optional<Checkpoint> checkpoint = context.lastCheckpoint();
        if (base == null && checkpoint.isPresent()) {
            base = ModelRef.parse(Files.readString(checkpoint.get().path().resolve(BASE_FILE), StandardCharsets.UTF_8)
                    .trim());
            if (!context.models().exists(base)) {
                throw new IllegalStateException("checkpoint " + checkpoint.get().storeKey() + " names base captioner "
                        + base + ", which is not in the model store");
            }
            context.log("resumed from checkpoint at step " + checkpoint.get().step() + ": base captioner " + base
                    + " already pretrained; fine-tuning only (attempt " + context.attempt() + ")");
        }
        boolean pretrainOnly = params.booleanValue("pretrainOnly", false);
        if (pretrainOnly && spec.baseModel() != null) {
            throw new IllegalArgumentException("params.pretrainOnly makes a new base; it cannot start from spec.baseModel");
        }
        if (pretrainOnly && base != null) {
            context.log("base captioner " + base + " was published by an earlier attempt; nothing left to do");
            return;
        }
        boolean pretrain = base == null;
        int pretrainSteps = preset.pretraining().steps();
        long offset = pretrain || spec.baseModel() == null ? pretrainSteps : 0;
        long total = offset + (pretrainOnly ? 0 : preset.fineTuning().steps());

        context.throwIfCancelled();
        DjlRuntime.prepareCurrentThread();
        long startStep = pretrain ? 0 : offset;
        Progress progress = new Progress(context, offset, total);
        CaptionerPipeline pipeline = new CaptionerPipeline(preset, corpusDirectory, corpusSeed, context.models(),
                context.checkpointDirectory(), seed)
                .names(baseName, modelName)
                .log(progress::line);
        context.log("corpus " + pipeline.corpus().id() + " in " + corpusDirectory + "; " + (pretrain
                ? "pretraining " + pretrainSteps + " steps, then fine-tuning " + preset.fineTuning().steps()
                : "fine-tuning " + base + " for " + preset.fineTuning().steps() + " steps"));
        if (startStep > 0) {
            context.progressStartsAt(startStep);
        }
        context.progress(startStep, total, null);

        Map<String, Double> metrics = new LinkedHashMap<>();
        if (pretrain) {
            CaptionerPipeline.Stage stage = pipeline.pretrain();
            base = stage.ref();
            stage.quality().forEach(row -> row.metrics().forEach((name, value) -> metrics.put("base." + name, value)));
            announceBase(context, base, pretrainSteps);
        }
        context.throwIfCancelled();
        if (pretrainOnly) {
            // The captioner-base job: what the platform ships as the PaLI analogue; fine-tuning is a later job.
            context.progress(offset, offset, null);
            context.metrics((long) pretrainSteps, metrics);
            context.log("published base captioner " + base + "; params.pretrainOnly, so no fine-tuning");
            return;
        }
        CaptionerPipeline.Stage recap = pipeline.fineTune(base);
        recap.quality().forEach(row -> metrics.putAll(row.metrics()));
        var evaluation = pipeline.corpus().evaluation(preset.evalScenes());
        QualityRow alt = new CaptionerEvaluator(evaluation).altText();
        metrics.putAll(new QualityRow(alt.source(), "alt", alt.decoding(), alt.summary(), alt.captions(), 0).metrics());
        metrics.put("eval.scenes", (double) evaluation.size());
        context.progress(total, total, null);
        context.metrics(total, metrics);
        context.log("published " + recap.ref() + " fine-tuned from " + base + " on " + pipeline.corpus().humanSetId()
                + String.format(Locale.ROOT, "; eval SHORT recall %.3f, LONG recall %.3f",
                        metrics.getOrDefault("eval.short.recall", Double.NaN),
                        metrics.getOrDefault("eval.long.recall", Double.NaN)));
    }

    /** Writes and announces the stage checkpoint naming the published base captioner. */
    private static void announceBase(TaskContext context, ModelRef base, long step) throws IOException {
        Path directory = context.checkpointDirectory().resolve(String.format(Locale.ROOT, "pretrained-%08d", step));
        Path staging = context.checkpointDirectory().resolve(".staging-" + directory.getFileName());
        Files.createDirectories(staging);
        Files.writeString(staging.resolve(BASE_FILE), base + "\n", StandardCharsets.UTF_8);
        if (Files.exists(directory)) {
            Files.writeString(directory.resolve(BASE_FILE), base + "\n", StandardCharsets.UTF_8);
            Files.delete(staging.resolve(BASE_FILE));
            Files.delete(staging);
        } else {
            Files.move(staging, directory, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        context.checkpoint(step, directory);
        context.log("base captioner " + base + " published; checkpoint at step " + step + " skips pretraining on retry");
    }

    static CaptionerPipelinePreset preset(String name, TaskParams params) {
        CaptionerPipelinePreset preset = CaptionerPipelinePreset.byName(name);
        CaptionerTrainingPreset pretraining = preset.pretraining();
        CaptionerTrainingPreset fineTuning = preset.fineTuning();
        return preset
                .withPretraining(pretraining.withSteps(
                        params.intValue("pretrainSteps", pretraining.steps(), 1, 10_000_000)))
                .withFineTuning(fineTuning.withSteps(
                        params.intValue("fineTuneSteps", fineTuning.steps(), 1, 10_000_000)))
                .withRehearsal((float) params.doubleValue("rehearsal", preset.rehearsal(), 0, 0.95));
    }

    /** The corpus directory the spec names (see the class comment for the rule). */
    Path corpusDirectory(CaptionerFinetuneSpec spec, boolean generate) {
        String field = spec.humanSet() != null ? "spec.humanSet" : "spec.corpusId";
        String name = spec.humanSet() != null ? spec.humanSet() : spec.corpusId();
        for (Path root : corpusRoots) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create image root " + root, e);
            }
        }
        Path directory;
        try {
            directory = new AllowedRoots(corpusRoots).resolve(name);
        } catch (UnsafePathException e) {
            throw new IllegalArgumentException(field + " '" + name + "' is not a directory under the image roots "
                    + corpusRoots + ": " + e.getMessage(), e);
        }
        if (Files.isRegularFile(directory.resolve(CorpusGenerator.MANIFEST))) {
            return directory;
        }
        if (generate) {
            return directory;
        }
        throw new IllegalArgumentException(field + " '" + name + "': no ShapesWorld corpus (" + CorpusGenerator.MANIFEST
                + ") in a directory of that name under the image roots " + corpusRoots
                + "; generate one there (shapes-world generate) or pass params.generateCorpus=true");
    }

    private static String safeId(TaskParams params, String name, String fallback) {
        String value = params.text(name, fallback);
        try {
            return io.recap.core.domain.Require.safeId(value, "params." + name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params." + name + " must be a safe id but was '" + value + "'", e);
        }
    }

    /**
     * Turns the pipeline's log lines into job progress and log lines. The pipeline takes only a line consumer, so
     * its trainer's progress reports arrive as text ({@code TrainingProgress.toString()}); this is also where
     * cancellation is noticed, since throwing here stops the trainer between steps.
     */
    private static final class Progress {

        private final TaskContext context;
        private final long stageOffset;
        private final long total;

        /** @param stageOffset where fine-tuning steps start in the job's count (the pretraining steps, or 0) */
        Progress(TaskContext context, long stageOffset, long total) {
            this.context = context;
            this.stageOffset = stageOffset;
            this.total = total;
        }

        void line(String line) {
            Matcher matcher = PROGRESS.matcher(line);
            if (matcher.matches()) {
                long step = Long.parseLong(matcher.group(2));
                long done = "pretrain".equals(matcher.group(1)) ? step : stageOffset + step;
                context.progress(Math.min(done, total), total, loss(matcher.group(4)));
            } else {
                context.log(line);
            }
            context.throwIfCancelled();
        }

        private static Double loss(String text) {
            try {
                double value = Double.parseDouble(text.replace(',', '.'));
                return Double.isFinite(value) ? value : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
