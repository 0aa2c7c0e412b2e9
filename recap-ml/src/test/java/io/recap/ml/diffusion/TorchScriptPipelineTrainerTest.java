package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.CaptionMix;
import io.recap.ml.torchscript.TorchScriptDryRun;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.ml.torchscript.TorchScriptImportException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptPipelineTrainerTest {

    static final TorchScriptFineTune.Settings SETTINGS = new TorchScriptFineTune.Settings(150, 2e-3f, 10, 8, 1f, 3L);
    static final Path BASE = TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION);

    static List<DiffusionExample> examples() {
        List<DiffusionExample> examples = new ArrayList<>();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
        String[] names = {"red", "green", "blue", "yellow"};
        for (int i = 0; i < colours.length; i++) {
            BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = image.createGraphics();
            graphics.setColor(Color.WHITE);
            graphics.fillRect(0, 0, 64, 64);
            graphics.setColor(colours[i]);
            graphics.fillRect(16, 16, 32, 32);
            graphics.dispose();
            examples.add(new DiffusionExample(image, "photo " + i, "a " + names[i] + " square",
                    "one " + names[i] + " square in the middle"));
        }
        return examples;
    }

    @Test
    void fineTuningAnImportedPipelineLowersItsLossAndTheSavedPipelineStillPassesTheDryRunAndSamples(
            @TempDir Path temp) throws Exception {
        Path tuned = temp.resolve("tuned");
        try (TorchScriptPipelineTrainer trainer = TorchScriptPipelineTrainer.start(BASE, SETTINGS, 0.14f)) {
            trainer.trainUntil(examples(), CaptionMix.RECAP_MIX, SETTINGS.steps(), outcome -> { });
            trainer.checkpoint(tuned);

            List<Float> losses = trainer.losses();
            assertThat(losses).hasSize(150);
            assertThat(mean(losses.subList(120, 150))).isLessThan(0.6 * mean(losses.subList(0, 30)));
        }
        Files.delete(tuned.resolve(TorchScriptFineTune.OPTIMIZER_FILE));
        Files.delete(tuned.resolve(TorchScriptFineTune.STATE_FILE));
        assertThat(TorchScriptDryRun.check(tuned).outputs()).containsKeys("unet", "vae_encoder");
        try (TorchScriptPipeline pipeline = TorchScriptPipeline.load(tuned)) {
            assertThat(pipeline.sample(List.of("a red square"), new SamplingOptions(3, 2f, 1, 1L))).hasSize(1);
        }
    }

    @Test
    void aResumedFineTuneContinuesTheStepCountAndTheLossesOfTheUninterruptedRun(@TempDir Path temp) throws Exception {
        List<Float> uninterrupted;
        try (TorchScriptPipelineTrainer trainer = TorchScriptPipelineTrainer.start(BASE, SETTINGS, 0.14f)) {
            trainer.trainUntil(examples(), CaptionMix.RECAP_MIX, 20, outcome -> { });
            uninterrupted = trainer.losses();
        }
        Path checkpoint = temp.resolve("checkpoint");
        try (TorchScriptPipelineTrainer trainer = TorchScriptPipelineTrainer.start(BASE, SETTINGS, 0.14f)) {
            trainer.trainUntil(examples(), CaptionMix.RECAP_MIX, 12, outcome -> { });
            trainer.checkpoint(checkpoint);
        }
        try (TorchScriptPipelineTrainer resumed = TorchScriptPipelineTrainer.resume(checkpoint, 0.14f)) {
            assertThat(resumed.stepCount()).isEqualTo(12);
            resumed.trainUntil(examples(), CaptionMix.RECAP_MIX, 20, outcome -> { });

            assertThat(resumed.stepCount()).isEqualTo(20);
            for (int step = 12; step < 20; step++) {
                assertThat(resumed.losses().get(step)).as("loss of step %d", step + 1)
                        .isCloseTo(uninterrupted.get(step), Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void aPipelineWithoutItsVaeEncoderIsRefusedForFineTuningNamingTheFile(@TempDir Path temp) throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.STABLE_DIFFUSION, temp.resolve("sd"));
        Files.delete(folder.resolve("vae_encoder.pt"));

        assertThatThrownBy(() -> TorchScriptPipelineTrainer.start(folder, SETTINGS, 0.14f))
                .isInstanceOf(TorchScriptImportException.class).hasMessageStartingWith("vae_encoder.pt: missing");
        // Serving does not need it.
        assertThat(TorchScriptDryRun.check(folder).outputs()).doesNotContainKey("vae_encoder");
    }

    static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
