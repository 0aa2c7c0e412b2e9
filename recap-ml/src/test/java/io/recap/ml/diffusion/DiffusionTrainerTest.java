package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import io.recap.core.domain.CaptionMix;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.training.CheckpointableRandom;
import io.recap.ml.training.TrainingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caption-mix draws, checkpoint and resume, publishing. */
class DiffusionTrainerTest {

    private static final List<DiffusionExample> EXAMPLES = DiffusionTestSupport.colourExamples(16, 1);
    private static final DiffusionTrainingPreset SIX_STEPS =
            DiffusionTrainingPreset.smoke().withSteps(6).withBatchSize(4).withSchedule(100, 0, 3);

    @Test
    void captionStylesFollowTheMixAndDropoutGivesTheEmptyPrompt() {
        DiffusionExample example = EXAMPLES.get(0);
        TrainingBatches mixed = new TrainingBatches(EXAMPLES, new CaptionMix(0, 1, 3), 0.14f, 1f);
        CheckpointableRandom random = new CheckpointableRandom(1);
        int draws = 4000;
        int shortCount = 0;
        int longCount = 0;
        int empty = 0;
        for (int i = 0; i < draws; i++) {
            String prompt = mixed.drawPrompt(example, random);
            if (prompt.isEmpty()) {
                empty++;
            } else if (prompt.equals(example.shortCaption())) {
                shortCount++;
            } else if (prompt.equals(example.longCaption())) {
                longCount++;
            }
        }
        assertThat(shortCount + longCount + empty).isEqualTo(draws);
        assertThat(empty / (double) draws).isBetween(0.12, 0.16);
        assertThat(longCount / (double) (shortCount + longCount)).isBetween(0.72, 0.78);

        TrainingBatches altOnly = new TrainingBatches(EXAMPLES, CaptionMix.ALT_ONLY, 0f, 1f);
        assertThat(altOnly.drawPrompt(example, random)).isEqualTo(example.altText());
    }

    @Test
    void pixelsThatDifferFromTheImagesMostCommonColourGetTheForegroundWeight() {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, 0xF0E6D2);
            }
        }
        image.setRGB(2, 3, 0xE03020);
        image.setRGB(3, 3, 0xE03020);
        image.setRGB(5, 5, 0xF2E8D4); // anti-aliasing-sized difference: still background

        float[] weights = TrainingBatches.foregroundWeights(List.of(image), 8, 10f);

        assertThat(weights).hasSize(64);
        for (int p = 0; p < 64; p++) {
            assertThat(weights[p]).as("pixel %d", p).isEqualTo(p == 3 * 8 + 2 || p == 3 * 8 + 3 ? 10f : 1f);
        }
    }

    @Test
    void resumingFromACheckpointContinuesExactlyLikeTheUninterruptedRun(@TempDir Path directory) throws Exception {
        PairList<String, Parameter> straight;
        float[] straightLosses;
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5);
                DiffusionTrainer trainer = DiffusionTrainer.start(model, SIX_STEPS, CaptionMix.RECAP_MIX)) {
            trainer.train(EXAMPLES);
            straight = copy(model.getBlock().getParameters());
            straightLosses = trainer.losses();
            assertThat(straightLosses).hasSize(6);

            Path checkpoints = directory.resolve("checkpoints");
            try (DiffusionModel again = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5);
                    DiffusionTrainer first = DiffusionTrainer.start(again, SIX_STEPS, CaptionMix.RECAP_MIX)
                            .checkpointTo(checkpoints, 2)) {
                first.trainUntil(EXAMPLES, 3);
            }
            Path checkpoint = DiffusionCheckpoint.latest(checkpoints).orElseThrow();
            assertThat(checkpoint.getFileName().toString()).isEqualTo("step-00000003");
            assertThat(DiffusionCheckpoint.readState(checkpoint).step()).isEqualTo(3);

            try (DiffusionTrainer resumed = DiffusionTrainer.resume(checkpoint, SIX_STEPS, CaptionMix.RECAP_MIX)
                    .checkpointTo(checkpoints, 2)) {
                assertThat(resumed.step()).isEqualTo(3);
                resumed.train(EXAMPLES);
                assertThat(resumed.step()).isEqualTo(6);
                assertThat(resumed.losses()).containsExactly(straightLosses);
                assertThat(maxDifference(straight, resumed.liveModel().getBlock().getParameters())).isLessThan(1e-6f);
                assertThat(maxDifference(copy(trainer.emaModel().getBlock().getParameters()),
                        resumed.emaModel().getBlock().getParameters())).isLessThan(1e-6f);
            }
            assertThat(DiffusionCheckpoint.list(checkpoints)).extracting(p -> p.getFileName().toString())
                    .containsExactly("step-00000003", "step-00000006");
            // The weights really moved, so equality above is not trivial.
            try (DiffusionModel fresh = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5)) {
                assertThat(maxDifference(straight, fresh.getBlock().getParameters())).isGreaterThan(1e-4f);
            }
        }
    }

    @Test
    void publishesEmaWeightsWithLineageToTheModelStore(@TempDir Path directory) throws Exception {
        ModelStore store = new ModelStore(directory);
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5);
                DiffusionTrainer trainer = DiffusionTrainer.start(model, SIX_STEPS.withSteps(2), CaptionMix.RECAP_MIX)) {
            trainer.train(EXAMPLES);
            ModelManifest manifest = DiffusionPublisher.publish(store, trainer.emaModel(), "colours", "v1", trainer,
                    new ModelManifest.Lineage("colour-corpus", ModelRef.captioner("shapes", "v2"), null, null, null),
                    Map.of("matcher.overall", 0.5));

            ModelManifest stored = store.manifest(ModelRef.textToImage("colours", "v1"));
            assertThat(stored.kind()).isEqualTo(ModelKind.TEXT_TO_IMAGE);
            assertThat(stored.lineage().captionMix()).isEqualTo(CaptionMix.RECAP_MIX);
            assertThat(stored.lineage().corpusId()).isEqualTo("colour-corpus");
            assertThat(stored.hyperParameters()).containsEntry("training.stepsDone", 2)
                    .containsEntry("model.prediction", "V").containsKey("training.learningRate");
            assertThat(stored.architecture()).isEqualTo(manifest.architecture()).contains("cross-attention");

            SamplingOptions options = new SamplingOptions(2, 1f, 1, 9);
            try (DiffusionModel loaded = DiffusionModel.load(store.directory(stored.ref()))) {
                assertThat(DiffusionModelTest.pixels(loaded.sample(List.of("red"), options).get(0)))
                        .isEqualTo(DiffusionModelTest.pixels(trainer.emaModel().sample(List.of("red"), options).get(0)));
            }
            assertThat(Files.list(store.directory(stored.ref())).map(p -> p.getFileName().toString()).toList())
                    .contains(DiffusionModel.CONFIG_FILE, "vocabulary.txt", "text-to-image-0000.params");
        }
    }

    @Test
    void aPresetWithTextPretrainingTrainsTheTextEncoderContrastivelyBeforeStepOne() {
        DiffusionTrainingPreset plain = SIX_STEPS.withSteps(1);
        try (DiffusionTrainer without = DiffusionTrainer.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(),
                        5, plain, CaptionMix.LONG_ONLY);
                DiffusionTrainer with = DiffusionTrainer.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(),
                        5, plain.withTextPretraining(30), CaptionMix.LONG_ONLY)) {
            // Nothing to train yet, so nothing to pretrain either.
            with.trainUntil(EXAMPLES, 0);
            assertThat(maxDifference(with.liveModel().getBlock().textEncoder().getParameters(),
                    without.liveModel().getBlock().textEncoder().getParameters())).isZero();

            without.train(EXAMPLES);
            with.train(EXAMPLES);

            // One Adam step at 2e-3 moves a weight by about 2e-3; 30 contrastive steps move it much further.
            assertThat(maxDifference(with.liveModel().getBlock().textEncoder().getParameters(),
                    without.liveModel().getBlock().textEncoder().getParameters())).isGreaterThan(0.02f);
            // The EMA copy started from the pretrained encoder, not the random one.
            assertThat(maxDifference(with.emaModel().getBlock().textEncoder().getParameters(),
                    with.liveModel().getBlock().textEncoder().getParameters())).isLessThan(0.01f);
            assertThat(with.step()).isEqualTo(1);
        }
        // A warm start keeps the text encoder it brings.
        try (DiffusionModel warm = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5);
                DiffusionModel reference = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5);
                DiffusionTrainer started = DiffusionTrainer.start(warm, plain.withTextPretraining(30), CaptionMix.LONG_ONLY)) {
            started.train(EXAMPLES);
            assertThat(maxDifference(warm.getBlock().textEncoder().getParameters(),
                    reference.getBlock().textEncoder().getParameters())).isLessThan(0.01f);
        }
    }

    @Test
    void textPretrainingReportsItsProgressAndStopsBeforeStepOneWhenTheListenerThrows() {
        DiffusionTrainingPreset preset = SIX_STEPS.withSteps(2).withTextPretraining(40);
        List<TrainingProgress> reports = new ArrayList<>();
        try (DiffusionTrainer trainer = DiffusionTrainer.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(),
                5, preset, CaptionMix.LONG_ONLY)) {
            trainer.onTextPretrainingProgress(progress -> {
                reports.add(progress);
                if (progress.step() >= 10) {
                    throw new IllegalStateException("cancelled");
                }
            });

            assertThatThrownBy(() -> trainer.train(EXAMPLES)).hasMessage("cancelled");

            // A twentieth of 40 steps apart: reports at 2, 4, ... up to the one that threw.
            assertThat(reports).extracting(TrainingProgress::step).containsExactly(2, 4, 6, 8, 10);
            assertThat(reports).allSatisfy(progress -> assertThat(progress.totalSteps()).isEqualTo(40));
            assertThat(trainer.step()).isZero();
        }
    }

    private static PairList<String, Parameter> copy(PairList<String, Parameter> parameters) {
        PairList<String, Parameter> copies = new PairList<>();
        for (var parameter : parameters) {
            NDArray value = parameter.getValue().getArray().duplicate();
            Parameter copyOf = Parameter.builder().setName(parameter.getKey()).setType(Parameter.Type.OTHER)
                    .optArray(value).build();
            copies.add(parameter.getKey(), copyOf);
        }
        return copies;
    }

    private static float maxDifference(PairList<String, Parameter> a, PairList<String, Parameter> b) {
        float max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, a.get(i).getValue().getArray().sub(b.get(i).getValue().getArray()).abs().max()
                    .getFloat());
        }
        return max;
    }
}
