package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptDryRun;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptFixtures;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptCaptionerTrainerTest {

    static final TorchScriptFineTune.Settings SETTINGS = new TorchScriptFineTune.Settings(160, 3e-3f, 5, 8, 1f, 11L);
    static final Path BASE = TorchScriptFixtures.folder(TorchScriptFixtures.BLIP);

    static List<CaptionExample> examples() {
        List<CaptionExample> examples = new ArrayList<>();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
        String[] names = {"red", "green", "blue", "yellow"};
        for (int i = 0; i < colours.length; i++) {
            examples.add(new CaptionExample(TorchScriptCaptionerTest.scene(colours[i], 32), "short", "a " + names[i] + " circle"));
            examples.add(new CaptionExample(TorchScriptCaptionerTest.scene(colours[i], 32), "long",
                    "one " + names[i] + " circle in the middle on a white background"));
        }
        return examples;
    }

    @Test
    void fineTuningAnImportedCaptionerLowersItsLossAndItsSavedGraphsCaptionTheColours(@TempDir Path temp)
            throws Exception {
        Path tuned = temp.resolve("tuned");
        try (TorchScriptCaptionerTrainer trainer = TorchScriptCaptionerTrainer.start(BASE, SETTINGS)) {
            trainer.trainUntil(examples(), SETTINGS.steps(), outcome -> { });
            trainer.checkpoint(tuned);

            List<Float> losses = trainer.losses();
            assertThat(losses).hasSize(160);
            assertThat(mean(losses.subList(150, 160))).isLessThan(0.2 * mean(losses.subList(0, 10)));
        }
        try (TorchScriptCaptioner captioner = TorchScriptCaptioner.load(tuned)) {
            List<GeneratedCaption> captions = captioner.caption(
                    List.of(TorchScriptCaptionerTest.scene(Color.RED, 32), TorchScriptCaptionerTest.scene(Color.BLUE, 32)),
                    "short", DecodingOptions.greedy().withMaxTokens(12));
            assertThat(captions.get(0).text()).isEqualTo("a red circle");
            assertThat(captions.get(1).text()).isEqualTo("a blue circle");
        }
    }

    @Test
    void aResumedFineTuneContinuesTheStepCountAndTheLossesOfTheUninterruptedRun(@TempDir Path temp) throws Exception {
        List<Float> uninterrupted;
        try (TorchScriptCaptionerTrainer trainer = TorchScriptCaptionerTrainer.start(BASE, SETTINGS)) {
            trainer.trainUntil(examples(), 30, outcome -> { });
            uninterrupted = trainer.losses();
        }
        Path checkpoint = temp.resolve("checkpoint");
        try (TorchScriptCaptionerTrainer trainer = TorchScriptCaptionerTrainer.start(BASE, SETTINGS)) {
            trainer.trainUntil(examples(), 20, outcome -> { });
            trainer.checkpoint(checkpoint);
        }
        try (TorchScriptCaptionerTrainer resumed = TorchScriptCaptionerTrainer.resume(checkpoint)) {
            assertThat(resumed.stepCount()).isEqualTo(20);
            resumed.trainUntil(examples(), 30, outcome -> { });

            assertThat(resumed.stepCount()).isEqualTo(30);
            for (int step = 20; step < 30; step++) {
                assertThat(resumed.losses().get(step)).as("loss of step %d", step + 1)
                        .isCloseTo(uninterrupted.get(step), Offset.offset(1e-4f));
            }
        }
        // The checkpoint is an imported model folder in its own right: it passes the dry run.
        assertThat(TorchScriptFineTune.isCheckpoint(checkpoint)).isTrue();
        Files.delete(checkpoint.resolve(TorchScriptFineTune.OPTIMIZER_FILE));
        Files.delete(checkpoint.resolve(TorchScriptFineTune.STATE_FILE));
        assertThat(TorchScriptDryRun.check(checkpoint).config().kind())
                .isEqualTo(io.recap.core.domain.ModelKind.CAPTIONER);
        assertThat(checkpoint.resolve(TorchScriptConfig.TOKENIZER_FILE)).exists();
    }

    static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
