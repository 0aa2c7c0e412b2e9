package io.recap.shapesml.captioner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.shapesml.captioner.eval.QualityRow;
import io.recap.shapesml.captioner.eval.QualityTable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole of RECAP step 1 in seconds: a tiny corpus, a few steps of pretraining and
 * fine-tuning, both versions published with manifests and lineage, the quality table filled.
 * Asserts structure, not quality.
 */
class CaptionerPipelineTest {

    @TempDir
    Path directory;

    @Test
    void smokePipelinePublishesBaseAndFineTunedCaptionersWithLineageAndQuality() throws Exception {
        CaptionerPipelinePreset smoke = CaptionerPipelinePreset.smoke();
        CaptionerPipelinePreset preset = smoke
                .withPretraining(shorter(smoke.pretraining(), 12))
                .withFineTuning(shorter(smoke.fineTuning(), 8))
                .withData(40, 16, 8, true)
                .withFineTuningStart(List.of("imageEncoder"), "reference")
                .withRehearsal(0.25f);
        ModelStore store = new ModelStore(directory.resolve("store"));
        CaptionerPipeline pipeline = new CaptionerPipeline(preset, directory.resolve("corpus"), 42, store,
                directory.resolve("artifacts"), 3)
                .clock(Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC))
                .log(line -> { });

        CaptionerPipeline.Result result = pipeline.run();

        ModelRef base = ModelRef.captioner(CaptionerPipeline.BASE_NAME, "v1");
        ModelRef recap = ModelRef.captioner(CaptionerPipeline.RECAP_NAME, "v1");
        assertThat(result.base().ref()).isEqualTo(base);
        assertThat(result.recap().ref()).isEqualTo(recap);
        assertThat(store.list(ModelKind.CAPTIONER)).extracting(ModelManifest::ref).containsExactlyInAnyOrder(base, recap);
        assertThat(result.corpusId()).isEqualTo("shapes-s42-n40");

        ModelManifest baseManifest = store.manifest(base);
        assertThat(baseManifest.architecture()).isEqualTo(CaptionerPipeline.ARCHITECTURE);
        assertThat(baseManifest.lineage().corpusId()).isEqualTo("shapes-s42-n40");
        assertThat(baseManifest.lineage().parentModel()).isNull();
        assertThat(baseManifest.lineage().humanSet()).isNull();
        assertThat(baseManifest.hyperParameters()).containsEntry("steps", 12).containsEntry("pretrainScenes", 16)
                .containsKeys("learningRate", "batchSize", "dropout", "width", "layers", "seed", "styles");
        assertThat(baseManifest.metrics()).containsKeys("training.wall_seconds", "eval.scenes",
                "eval.terse.recall.shape", "eval.short.recall.colour", "eval.long.captions");

        ModelManifest recapManifest = store.manifest(recap);
        assertThat(recapManifest.lineage().corpusId()).isEqualTo("shapes-s42-n40");
        assertThat(recapManifest.lineage().parentModel()).isEqualTo(base);
        assertThat(recapManifest.lineage().humanSet()).isEqualTo("shapes-s42-n40/human-16");
        assertThat(recapManifest.hyperParameters()).containsEntry("steps", 8).containsEntry("humanImages", 16)
                .containsEntry("rerender", true);
        assertThat(((Number) recapManifest.hyperParameters().get("rehearsal")).doubleValue()).isEqualTo(0.25);
        assertThat(recapManifest.hyperParameters().get("data").toString())
                .contains("25% of each batch rehearsing pretraining captions");
        assertThat(recapManifest.metrics()).containsKeys("training.final_loss", "eval.short.names_every_object",
                "eval.long.hallucinated_objects_per_caption", "eval.long.mean_tokens")
                .doesNotContainKey("eval.terse.captions");
        assertThat(recapManifest.createdAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));

        // Quality: alt-text, base terse/grounded/short/long, fine-tuned short/long, each on every eval scene.
        List<QualityRow> rows = result.rows();
        assertThat(rows).extracting(QualityRow::style)
                .containsExactly("-", "terse", "grounded", "short", "long", "short", "long");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.summary().captions()).isEqualTo(8);
            assertThat(row.captions()).hasSize(8);
        });
        String table = QualityTable.markdown(rows);
        assertThat(table.lines()).hasSize(2 + rows.size());
        assertThat(table).contains("alt-text", "captioner/shapes-base/v1", "captioner/shapes/v1", "names every object");

        assertThat(directory.resolve("artifacts/loss-pretrain-smoke.png")).isNotEmptyFile();
        assertThat(directory.resolve("artifacts/loss-finetune-smoke.png")).isNotEmptyFile();

        // What the store holds is a working captioner that knows both RECAP styles.
        try (CaptionerModel loaded = CaptionerModel.load(store.directory(recap))) {
            assertThat(loaded.getVocabulary().styles()).containsExactly("short", "long", "terse", "reference", "grounded");
            assertThat(loaded.greedy(List.of(pipeline.corpus().evaluation(1).get(0).image()), "long")).hasSize(1);
        }
        // The image encoder was frozen while fine-tuning: identical to the base's; the decoder moved.
        try (CaptionerModel before = CaptionerModel.load(store.directory(base));
                CaptionerModel after = CaptionerModel.load(store.directory(recap))) {
            var beforeParameters = before.getBlock().getParameters();
            var afterParameters = after.getBlock().getParameters();
            boolean decoderMoved = false;
            for (int i = 0; i < beforeParameters.size(); i++) {
                String name = beforeParameters.get(i).getKey();
                boolean same = beforeParameters.get(i).getValue().getArray()
                        .contentEquals(afterParameters.get(i).getValue().getArray());
                if (name.contains("imageEncoder")) {
                    assertThat(same).as(name).isTrue();
                } else {
                    decoderMoved |= !same;
                }
            }
            assertThat(decoderMoved).isTrue();
        }
        assertThat(recapManifest.hyperParameters()).containsEntry("frozenParts", List.of("imageEncoder"))
                .containsEntry("styleTokensStartFrom", "reference");

        // Fine-tuning the same base again publishes the next version; v1 stays as it was.
        CaptionerPipeline.Stage again = pipeline.fineTune(base);
        assertThat(again.ref()).isEqualTo(ModelRef.captioner(CaptionerPipeline.RECAP_NAME, "v2"));
        assertThat(store.manifest(recap)).isEqualTo(recapManifest);
    }

    private static CaptionerTrainingPreset shorter(CaptionerTrainingPreset preset, int steps) {
        return new CaptionerTrainingPreset(preset.name(), steps, 8, preset.learningRate(), preset.finalLearningRate(),
                2, preset.maxGradientNorm(), preset.dropout(), 4, preset.seed());
    }
}
