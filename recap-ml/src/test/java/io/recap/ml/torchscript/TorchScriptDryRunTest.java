package io.recap.ml.torchscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptDryRunTest {

    @TempDir
    Path temp;

    @Test
    void theFixturesPassWithTheShapesTheirRolesRequire() throws Exception {
        TorchScriptDryRun.Report blip = TorchScriptDryRun.check(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP));
        TorchScriptDryRun.Report sd = TorchScriptDryRun.check(
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION));

        assertThat(blip.outputs()).containsEntry("vision_encoder", List.of(2L, 17L, 32L));
        assertThat(blip.outputs().get("text_decoder")).startsWith(2L, 4L);
        assertThat(sd.outputs()).containsEntry("text_encoder", List.of(2L, 77L, 32L))
                .containsEntry("unet", List.of(2L, 4L, 8L, 8L))
                .containsEntry("vae_decoder", List.of(2L, 3L, 64L, 64L))
                .containsEntry("vae_encoder", List.of(2L, 4L, 8L, 8L));
    }

    @Test
    void aGraphInTheWrongRoleIsRefusedNamingTheFileAndWhatItWasGiven() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.BLIP, temp.resolve("blip"));
        Files.copy(TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION).resolve("text_encoder.pt"),
                folder.resolve("vision_encoder.pt"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessageStartingWith("vision_encoder.pt: the graph refused its inputs (float32(2, 3, 32, 32))");
    }

    @Test
    void aLatentSpaceTheUnetDoesNotTakeIsRefusedNamingTheUnet() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.STABLE_DIFFUSION, temp.resolve("sd"));
        rewriteConfig(folder, "\"channels\": 4", "\"channels\": 3");

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessageStartingWith("unet.pt: the graph refused its inputs (float32(2, 3, 8, 8), int64(2), "
                        + "float32(2, 77, 32))");
    }

    @Test
    void aDecoderWhoseImageIsNotTheConfiguredSizeIsRefusedWithBothShapes() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.STABLE_DIFFUSION, temp.resolve("sd"));
        rewriteConfig(folder, "\"downsample\": 8", "\"downsample\": 4");

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessage("vae_decoder.pt: its image(2, 3, 64, 64) must be (2, 3, 32, 32) "
                        + "(latent.size x latent.downsample in torchscript.json)");
    }

    @Test
    void aTokenizerWithoutTheConfiguredSpecialTokenIsRefused() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.BLIP, temp.resolve("blip"));
        Files.copy(TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION).resolve("tokenizer.json"),
                folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessage("tokenizer.json: has no token \"[DEC]\" (the bos token named in torchscript.json)");
    }

    @Test
    void aFileOutsideTheFormatSuchAsAPickleIsRefusedBeforeAnythingLoads() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.BLIP, temp.resolve("blip"));
        Files.write(folder.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessageStartingWith("pytorch_model.bin: not part of an imported CAPTIONER");
    }

    @Test
    void aConfigThatBreaksItsRulesIsRefusedNamingTheConfigFile() throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.STABLE_DIFFUSION, temp.resolve("sd"));
        rewriteConfig(folder, "\"scaled_linear\"", "\"cosine\"");

        assertThatThrownBy(() -> TorchScriptDryRun.check(folder)).isInstanceOf(TorchScriptImportException.class)
                .hasMessageStartingWith("torchscript.json: ").hasMessageContaining("scheduler.betaSchedule");
    }

    private static void rewriteConfig(Path folder, String from, String to) throws Exception {
        Path config = folder.resolve(TorchScriptConfig.FILE_NAME);
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }
}
