package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.torchscript.TorchScriptDryRun;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptFixtures;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export script's output for Hugging Face's own BLIP classes (transformers' BlipForConditionalGeneration with a
 * tiny random configuration and a WordPiece tokenizer with BLIP's special tokens), traced by a newer PyTorch than the
 * platform's: it passes the dry run, captions, and fine-tunes.
 */
class HuggingFaceBlipExportTest {

    static final Path BLIP = TorchScriptFixtures.folder(TorchScriptFixtures.HF_BLIP);

    @Test
    void aBlipExportedFromTransformersPassesTheDryRunAndCaptionsWithBeamSearch() throws Exception {
        TorchScriptDryRun.Report report = TorchScriptDryRun.check(BLIP);

        assertThat(report.outputs()).containsEntry("vision_encoder", List.of(2L, 17L, 32L));
        try (Captioner captioner = Captioner.load(BLIP)) {
            assertThat(captioner).isInstanceOf(TorchScriptCaptioner.class);
            List<GeneratedCaption> captions = captioner.caption(List.of(TorchScriptCaptionerTest.scene(Color.RED, 50)),
                    "short", DecodingOptions.beam(2).withMaxTokens(12));
            assertThat(captions.get(0).text()).isNotBlank().doesNotContain("[DEC]", "[SEP]", "[PAD]");
        }
    }

    @Test
    void fineTuningTheExportedBlipTeachesItBothCaptionStyles(@TempDir Path temp) throws Exception {
        TorchScriptFineTune.Settings settings = new TorchScriptFineTune.Settings(120, 3e-3f, 5, 8, 1f, 5L);
        Path tuned = temp.resolve("tuned");
        try (TorchScriptCaptionerTrainer trainer = TorchScriptCaptionerTrainer.start(BLIP, settings)) {
            trainer.trainUntil(TorchScriptCaptionerTrainerTest.examples(), settings.steps(), outcome -> { });
            trainer.checkpoint(tuned);
            List<Float> losses = trainer.losses();
            assertThat(TorchScriptCaptionerTrainerTest.mean(losses.subList(110, 120)))
                    .isLessThan(0.2 * TorchScriptCaptionerTrainerTest.mean(losses.subList(0, 10)));
        }
        try (Captioner captioner = TorchScriptCaptioner.load(tuned)) {
            assertThat(captioner.caption(List.of(TorchScriptCaptionerTest.scene(Color.GREEN, 32)), "short",
                    DecodingOptions.greedy().withMaxTokens(12)).get(0).text()).isEqualTo("a green circle");
            assertThat(captioner.caption(List.of(TorchScriptCaptionerTest.scene(Color.GREEN, 32)), "long",
                    DecodingOptions.greedy().withMaxTokens(20)).get(0).text())
                    .isEqualTo("one green circle in the middle on a white background");
        }
    }
}
