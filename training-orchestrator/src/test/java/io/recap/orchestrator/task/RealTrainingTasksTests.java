package io.recap.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.RelabelResult;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.orchestrator.executor.local.LocalExecutor;
import io.recap.orchestrator.registry.ModelImporter;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import io.recap.orchestrator.support.TestModels;
import io.recap.service.security.TestApiKeys;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.text.AltTextConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The real training tasks through the real orchestrator (REST, scheduler, local executor, Kafka events, model
 * store), on a 64-image 32x32 ShapesWorld corpus and the {@code smoke} presets. These fail if a task is a fake: a
 * published text-to-image or captioner version must hold real DJL parameters, lineage and metrics, and an EVALUATE
 * must store measured metrics with the model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealTrainingTasksTests extends OrchestratorIntegrationTest {

    static final String CORPUS = "tasks-shapes";
    static final ModelRef CAPTIONER = ModelRef.captioner("tasks-captioner", "v1");
    static final int IMAGES = 64;
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(4);

    @Autowired
    ModelStore models;

    @Autowired
    LocalExecutor localExecutor;

    @Autowired
    ModelImporter importer;

    private Path corpusDir;
    private boolean relabelled;

    @BeforeAll
    void generateCorpus() throws Exception {
        // Under the default image root, ${recap.data-dir}/corpora; the sizes of CaptionerPipelinePreset.smoke().
        corpusDir = DATA_DIR.resolve("corpora/" + CORPUS);
        CorpusGenerator.generate(new CorpusConfig(corpusDir, IMAGES, 3, 32, 16, 16, AltTextConfig.defaults()),
                line -> { });
    }

    /**
     * Ingests the corpus through REST and records SHORT and LONG captions by {@link #CAPTIONER} for every image, as
     * relabel workers would (the corpus's own human-style captions stand in for a captioner's).
     */
    private synchronized void relabelledCorpus() throws Exception {
        if (relabelled) {
            return;
        }
        assertThat(post("/corpora/" + CORPUS + "/ingest", "{\"manifestDir\":\"" + corpusDir + "\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/corpora/" + CORPUS).statusCode() == 200
                && getJson("/corpora/" + CORPUS).get("imageCount").asLong() == IMAGES);
        TestModels.captioner(models, CAPTIONER.name(), CAPTIONER.version());
        for (CorpusEntry entry : CorpusManifest.read(corpusDir).entries()) {
            send(Topics.RELABEL_RESULTS, RelabelResult.success(entry.id(), CORPUS, "tasks-batch", CAPTIONER,
                    Map.of(CaptionStyle.SHORT, entry.captions().shortCaption(),
                            CaptionStyle.LONG, entry.captions().longCaption())));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode byStyle = getJson("/corpora/" + CORPUS).get("captions").get(CAPTIONER.toString());
            return byStyle != null && byStyle.get("SHORT") != null && byStyle.get("SHORT").asLong() == IMAGES
                    && byStyle.get("LONG") != null && byStyle.get("LONG").asLong() == IMAGES;
        });
        relabelled = true;
    }

    @Test
    void aT2iJobTrainsOnTheSnapshotPublishesWithLineageAndAnEvaluationStoresMetricsWithTheModel() throws Exception {
        relabelledCorpus();
        long begin = System.nanoTime();
        String jobId = submit("""
                {"kind":"T2I_FINETUNE",
                 "spec":{"corpusId":"%s","captioner":"%s","captionMix":"mix","preset":"smoke"},
                 "params":{"checkpointEvery":20,"modelName":"t2i-tasks"}}""".formatted(CORPUS, CAPTIONER));
        JsonNode job = awaitFinished(jobId);
        System.out.printf("T2I_FINETUNE smoke job took %.1f s%n", (System.nanoTime() - begin) / 1e9);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(60);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(60);
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(60);
        assertThat(job.get("lastCheckpoint").get("path").asString())
                .isEqualTo("checkpoints/" + jobId + "/step-00000060");
        assertThat(job.get("logTail").toString()).contains("64 of 64 images usable",
                "starting T2I_FINETUNE from scratch: 60 steps of 8 at 16x16", "published text-to-image/t2i-tasks/v1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + jobId).get("metrics");
            assertThat(metrics.get("training.final_loss").get("value").asDouble()).isPositive();
            assertThat(metrics.get("training.steps").get("value").asDouble()).isEqualTo(60);
            assertThat(metrics.get("dataset.images").get("value").asDouble()).isEqualTo(IMAGES);
        });

        ModelRef t2i = ModelRef.textToImage("t2i-tasks", "v1");
        ModelManifest manifest = models.manifest(t2i);
        assertThat(manifest.lineage().corpusId()).isEqualTo(CORPUS);
        assertThat(manifest.lineage().captionerRef()).isEqualTo(CAPTIONER);
        assertThat(manifest.lineage().captionMix()).isEqualTo(CaptionMix.RECAP_MIX);
        assertThat(manifest.lineage().parentModel()).isNull();
        assertThat(manifest.hyperParameters()).containsEntry("dataset.snapshot", job.get("snapshotId").asString())
                .containsEntry(ModelVersions.JOB_ID, jobId);
        assertThat(manifest.hyperParameters().get("training.stepsDone").toString()).startsWith("60");
        assertThat(manifest.metrics()).containsKey("training.final_loss");
        Path modelDir = models.directory(t2i);
        assertThat(modelDir.resolve("text-to-image-0000.params")).isNotEmptyFile();
        assertThat(modelDir.resolve("vocabulary.txt")).isNotEmptyFile();
        assertThat(store().resolve("checkpoints/" + jobId + "/loss-curve.png")).isNotEmptyFile();
        assertThat(store().resolve("checkpoints/" + jobId + "/samples-final.png")).isNotEmptyFile();

        String evaluation = submit("""
                {"kind":"EVALUATE","spec":{"model":"%s"},
                 "params":{"prompts":8,"imagesPerPrompt":1,"samplingSteps":10}}""".formatted(t2i));
        JsonNode evaluated = awaitFinished(evaluation);
        assertThat(evaluated.get("state").asString()).as(evaluated.toString()).isEqualTo("SUCCEEDED");
        assertThat(evaluated.get("progress").get("done").asLong()).isEqualTo(8);
        Map<String, Double> stored = models.manifest(t2i).metrics();
        assertThat(stored.get("matcher.overall")).isBetween(0.0, 1.0);
        assertThat(stored).containsEntry("eval.prompts", 8.0).containsEntry("eval.images", 8.0)
                .containsKey("training.final_loss");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(getJson("/jobs/" + evaluation)
                .get("metrics").get("matcher.overall").get("value").asDouble()).isEqualTo(stored.get("matcher.overall")));
    }

    @Test
    void anAltTextBaseIsPretrainedWithoutACaptionerThenTwoWarmStartsAreComparedImageByImage() throws Exception {
        relabelledCorpus();
        // The tokenizer a base would take from elsewhere (as SD takes CLIP's): every word of the corpus's captions.
        List<String> texts = new ArrayList<>();
        for (CorpusEntry entry : CorpusManifest.read(corpusDir).entries()) {
            texts.addAll(List.of(entry.altText(), entry.captions().shortCaption(), entry.captions().longCaption()));
        }
        ModelRef vocabularyModel = ModelRef.captioner("tasks-vocabulary", "v1");
        if (!models.exists(vocabularyModel)) {
            models.publish(new ModelManifest(ModelKind.CAPTIONER, vocabularyModel.name(), "v1", "vocabulary only",
                    Map.of(), ModelManifest.Lineage.NONE, Map.of(), java.time.Instant.now()),
                    dir -> Vocabulary.build(texts, List.of(), 1).save(dir.resolve(Vocabulary.FILE_NAME)));
        }
        String pretrain = submit("""
                {"kind":"T2I_FINETUNE","spec":{"corpusId":"%s","captionMix":"alt","preset":"smoke"},
                 "params":{"modelName":"t2i-alt-base","vocabularyFrom":"%s","samplePrompts":0}}""".formatted(
                CORPUS, vocabularyModel));
        JsonNode pretrained = awaitFinished(pretrain);
        assertThat(pretrained.get("state").asString()).as(pretrained.toString()).isEqualTo("SUCCEEDED");
        assertThat(pretrained.get("logTail").toString()).contains("64 of 64 images usable", "from " + vocabularyModel);
        ModelRef base = ModelRef.textToImage("t2i-alt-base", "v1");
        assertThat(models.manifest(base).lineage().captionerRef()).isNull();
        assertThat(Files.readAllLines(models.directory(base).resolve(Vocabulary.FILE_NAME)))
                .as("the base knows words only the new captions use").contains("left");

        List<ModelRef> tuned = new ArrayList<>();
        for (String mix : List.of("alt", "mix")) {
            String jobId = submit("""
                    {"kind":"T2I_FINETUNE","spec":{"corpusId":"%s","captioner":"%s","captionMix":"%s",
                     "preset":"smoke","baseModel":"%s"},
                     "params":{"modelName":"t2i-warm-%s","steps":10,"learningRate":5e-4,"emaDecay":0.8,"foregroundWeight":1,
                               "samplePrompts":0}}"""
                    .formatted(CORPUS, CAPTIONER, mix, base, mix));
            JsonNode job = awaitFinished(jobId);
            assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
            ModelRef ref = ModelRef.textToImage("t2i-warm-" + mix, "v1");
            assertThat(models.manifest(ref).lineage().parentModel()).isEqualTo(base);
            assertThat(models.manifest(ref).hyperParameters()).containsEntry("training.emaDecay", 0.8)
                    .containsEntry("training.foregroundWeight", 1.0).containsEntry("training.steps", 10);
            String evaluation = submit("""
                    {"kind":"EVALUATE","spec":{"model":"%s"},
                     "params":{"prompts":6,"imagesPerPrompt":2,"samplingSteps":5,"bootstrap":200}}""".formatted(ref));
            assertThat(awaitFinished(evaluation).get("state").asString()).isEqualTo("SUCCEEDED");
            tuned.add(ref);
        }
        Map<String, Double> metrics = models.manifest(tuned.get(1)).metrics();
        assertThat(metrics.get("matcher.overall.ci_low")).isLessThanOrEqualTo(metrics.get("matcher.overall"));
        assertThat(metrics.get("matcher.overall.ci_high")).isGreaterThanOrEqualTo(metrics.get("matcher.overall"));
        assertThat(metrics).containsKeys("counting_error", "matcher.overall.reference_prompts",
                "matcher.overall.long_prompts");

        JsonNode record = getJson("/models/" + tuned.get(1).kind().pathSegment() + "/t2i-warm-mix/v1/evaluation");
        assertThat(record.get("outcomes").size()).isEqualTo(12);
        assertThat(record.get("prompts").get(0).get("wording").asString()).isEqualTo("reference");
        assertThat(record.get("prompts").get(1).get("wording").asString()).isEqualTo("long");
        HttpResponse<byte[]> sheet = HTTP.send(TestApiKeys.request(uri(
                "/models/text-to-image/t2i-warm-mix/v1/evaluation/samples.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sheet.statusCode()).isEqualTo(200);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sheet.body()))).isNotNull();

        JsonNode comparison = getJson("/models/comparison?baseline=" + tuned.get(0) + "&models=" + tuned.get(1));
        assertThat(comparison.get("models").size()).isEqualTo(2);
        JsonNode overall = comparison.get("models").get(1).get("differences").get("overall");
        double expected = metrics.get("matcher.overall") - models.manifest(tuned.get(0)).metrics().get("matcher.overall");
        assertThat(overall.get("estimate").asDouble()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(overall.get("low").asDouble()).isLessThanOrEqualTo(overall.get("estimate").asDouble());
        assertThat(overall.get("high").asDouble()).isGreaterThanOrEqualTo(overall.get("estimate").asDouble());

        String other = submit("""
                {"kind":"EVALUATE","spec":{"model":"%s"},"params":{"prompts":4,"imagesPerPrompt":1,"samplingSteps":5}}"""
                .formatted(base));
        assertThat(awaitFinished(other).get("state").asString()).isEqualTo("SUCCEEDED");
        HttpResponse<String> mismatch = get("/models/comparison?baseline=" + base + "&models=" + tuned.get(1));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(json(mismatch).get("detail").asString()).contains("evaluate both with the same params");
        assertThat(get("/models/comparison?baseline=" + base + "&models=text-to-image/never-evaluated/v9")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aCaptionerPretrainOnlyJobPublishesTheBaseAndStops() throws Exception {
        String jobId = submit("""
                {"kind":"CAPTIONER_FINETUNE","spec":{"humanSet":"%s","preset":"smoke"},
                 "params":{"baseName":"tasks-base-only","modelName":"tasks-never","pretrainOnly":true}}"""
                .formatted(CORPUS));
        JsonNode job = awaitFinished(jobId);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("total").asLong()).as("pretraining steps only").isEqualTo(30);
        assertThat(models.exists(ModelRef.captioner("tasks-base-only", "v1"))).isTrue();
        assertThat(models.list(ModelKind.CAPTIONER)).noneMatch(m -> m.name().equals("tasks-never"));
    }

    @Test
    void aCaptionerJobPretrainsAndFineTunesAndAnEvaluationMeasuresTheFineTunedCaptioner() throws Exception {
        String jobId = submit("""
                {"kind":"CAPTIONER_FINETUNE","spec":{"humanSet":"%s","preset":"smoke"},
                 "params":{"baseName":"tasks-base","modelName":"tasks-recap"}}""".formatted(CORPUS));
        JsonNode job = awaitFinished(jobId);
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(50);
        assertThat(job.get("progress").get("total").asLong()).as("30 pretraining + 20 fine-tuning steps").isEqualTo(50);
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(30);
        assertThat(Files.readString(store().resolve(job.get("lastCheckpoint").get("path").asString())
                .resolve("base-captioner.txt")).trim()).isEqualTo("captioner/tasks-base/v1");

        ModelManifest base = models.manifest(ModelRef.captioner("tasks-base", "v1"));
        ModelManifest recap = models.manifest(ModelRef.captioner("tasks-recap", "v1"));
        assertThat(recap.lineage().parentModel()).isEqualTo(base.ref());
        assertThat(recap.lineage().humanSet()).endsWith("/human-16");
        assertThat(recap.metrics()).containsKeys("eval.short.recall", "eval.long.recall");
        assertThat(base.metrics()).containsKey("eval.terse.recall");
        assertThat(models.directory(recap.ref()).resolve("captioner-0000.params")).isNotEmptyFile();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metrics = getJson("/jobs/" + jobId).get("metrics");
            assertThat(metrics.get("eval.short.recall").get("value").asDouble())
                    .isEqualTo(recap.metrics().get("eval.short.recall"));
            assertThat(metrics.get("base.eval.terse.recall")).isNotNull();
            assertThat(metrics.get("eval.alt.recall")).isNotNull();
        });

        String evaluation = submit("""
                {"kind":"EVALUATE","spec":{"model":"captioner/tasks-recap/v1"},"params":{"scenes":16,"maxTokens":24}}""");
        JsonNode evaluated = awaitFinished(evaluation);
        assertThat(evaluated.get("state").asString()).as(evaluated.toString()).isEqualTo("SUCCEEDED");
        Map<String, Double> stored = models.manifest(recap.ref()).metrics();
        assertThat(stored).containsEntry("eval.scenes", 16.0).containsEntry("eval.seed", 777.0)
                .containsKeys("eval.short.precision", "eval.long.precision", "eval.terse.precision", "eval.alt.recall");
    }

    @Test
    void aCaptionerJobFineTunesAnImportedTorchScriptBaseAndPublishesItInTheSameFormat() throws Exception {
        ModelRef base = importer.importFolder(ModelKind.CAPTIONER, "tasks-blip", "v1",
                TorchScriptFixtures.folder(TorchScriptFixtures.HF_BLIP)).ref();

        String jobId = submit("""
                {"kind":"CAPTIONER_FINETUNE","spec":{"humanSet":"%s","preset":"smoke","baseModel":"%s"},
                 "params":{"modelName":"tasks-blip-recap","fineTuneSteps":"40","checkpointEvery":"20",
                           "learningRate":"0.003"}}""".formatted(CORPUS, base));
        JsonNode job = awaitFinished(jobId);

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(40);
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(40);
        ModelManifest tuned = models.manifest(ModelRef.captioner("tasks-blip-recap", "v1"));
        assertThat(tuned.isTorchScript()).isTrue();
        assertThat(tuned.lineage().parentModel()).isEqualTo(base);
        assertThat(tuned.lineage().humanSet()).endsWith("/human-16");
        assertThat(tuned.metrics()).containsKeys("eval.short.recall", "eval.long.recall", "train.final_loss");
        assertThat(tuned.files().keySet()).containsExactlyInAnyOrder("vision_encoder.pt", "text_decoder.pt",
                "tokenizer.json", "torchscript.json");
        assertThat(Files.mismatch(models.directory(tuned.ref()).resolve("text_decoder.pt"),
                models.directory(base).resolve("text_decoder.pt"))).as("the decoder's weights changed").isNotEqualTo(-1L);
    }

    @Test
    void aTextToImageJobFineTunesAnImportedStableDiffusionShapedBaseOnTheRecapMix() throws Exception {
        relabelledCorpus();
        ModelRef base = importer.importFolder(ModelKind.TEXT_TO_IMAGE, "tasks-sd", "v1",
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION)).ref();

        String jobId = submit("""
                {"kind":"T2I_FINETUNE",
                 "spec":{"corpusId":"%s","captioner":"%s","captionMix":"mix","preset":"smoke","baseModel":"%s"},
                 "params":{"steps":30,"checkpointEvery":15,"batchSize":4,"learningRate":0.002,
                           "modelName":"tasks-sd-recap"}}""".formatted(CORPUS, CAPTIONER, base));
        JsonNode job = awaitFinished(jobId);

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(30);
        assertThat(job.get("lastCheckpoint").get("step").asLong()).isEqualTo(30);
        assertThat(job.get("logTail").toString()).contains("fine-tuning imported " + base + " on 64 images");
        ModelManifest tuned = models.manifest(ModelRef.textToImage("tasks-sd-recap", "v1"));
        assertThat(tuned.isTorchScript()).isTrue();
        assertThat(tuned.lineage().parentModel()).isEqualTo(base);
        assertThat(tuned.lineage().captionerRef()).isEqualTo(CAPTIONER);
        assertThat(tuned.lineage().captionMix()).isEqualTo(CaptionMix.RECAP_MIX);
        assertThat(tuned.metrics()).containsKey("train.final_loss");
        assertThat(tuned.files().keySet()).contains("unet.pt", "text_encoder.pt", "vae_decoder.pt", "vae_encoder.pt")
                .doesNotContain("optimizer.state", "fine-tune.json");
        assertThat(Files.mismatch(models.directory(tuned.ref()).resolve("unet.pt"),
                models.directory(base).resolve("unet.pt"))).as("the UNet's weights changed").isNotEqualTo(-1L);
    }

    @Test
    void badParamsAndUnknownCorporaFailWithAReasonNamingThem() throws Exception {
        relabelledCorpus();
        String badSteps = submit("""
                {"kind":"T2I_FINETUNE",
                 "spec":{"corpusId":"%s","captioner":"%s","captionMix":"long","preset":"smoke"},
                 "params":{"steps":"ten"}}""".formatted(CORPUS, CAPTIONER));
        JsonNode failed = awaitFinished(badSteps);
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("failureReason").asString())
                .isEqualTo("IllegalArgumentException: params.steps must be an integer in [1, 10000000] but was 'ten'");

        String noCorpus = submit("""
                {"kind":"CAPTIONER_FINETUNE","spec":{"humanSet":"no-such-set","preset":"smoke"}}""");
        JsonNode missing = awaitFinished(noCorpus);
        assertThat(missing.get("state").asString()).isEqualTo("FAILED");
        assertThat(missing.get("failureReason").asString()).contains("spec.humanSet 'no-such-set'",
                "no ShapesWorld corpus", "generateCorpus");
    }

    @Test
    void cancellingARealTrainingStopsItBetweenSteps() throws Exception {
        relabelledCorpus();
        String jobId = submit("""
                {"kind":"T2I_FINETUNE",
                 "spec":{"corpusId":"%s","captioner":"%s","captionMix":"short","preset":"smoke"},
                 "params":{"steps":100000,"modelName":"t2i-cancelled"}}""".formatted(CORPUS, CAPTIONER));
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode progress = getJson("/jobs/" + jobId).get("progress");
            return progress != null && progress.get("done") != null && progress.get("done").asLong() > 0;
        });
        cancelAndAwaitStopped(jobId, "t2i-cancelled");
    }

    @Test
    void cancellingDuringTextEncoderPretrainingStopsItBeforeStepOne() throws Exception {
        relabelledCorpus();
        String jobId = submit("""
                {"kind":"T2I_FINETUNE",
                 "spec":{"corpusId":"%s","captioner":"%s","captionMix":"long","preset":"smoke"},
                 "params":{"steps":10,"textPretrainSteps":1000000,"modelName":"t2i-cancelled-early"}}""".formatted(
                CORPUS, CAPTIONER));
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                getJson("/jobs/" + jobId).get("logTail").toString().contains("text encoder pretraining (contrastive): step"));
        cancelAndAwaitStopped(jobId, "t2i-cancelled-early");
        assertThat(getJson("/jobs/" + jobId).get("progress").get("done").asLong()).isZero();
    }

    /** Cancels a running job, waits until its training thread has stopped; it published no model. */
    private void cancelAndAwaitStopped(String jobId, String modelName) throws Exception {
        assertThat(json(post("/jobs/" + jobId + "/cancel", null)).get("state").asString()).isEqualTo("CANCELLED");
        await().atMost(Duration.ofSeconds(30)).until(() -> localExecutor.runningCount() == 0);
        assertThat(models.list(ModelKind.TEXT_TO_IMAGE)).noneMatch(m -> m.name().equals(modelName));
    }

    private JsonNode awaitFinished(String jobId) {
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> JobState.valueOf(getJson("/jobs/" + jobId).get("state").asString()).isTerminal());
        try {
            return getJson("/jobs/" + jobId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
