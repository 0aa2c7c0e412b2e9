package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.ml.torchscript.TorchScriptFixtures;
import io.recap.ml.torchscript.TorchScriptImportException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptCaptionerTest {

    static BufferedImage scene(Color colour, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, size, size);
        graphics.setColor(colour);
        graphics.fillOval(size / 4, size / 4, size / 2, size / 2);
        graphics.dispose();
        return image;
    }

    @Test
    void anImportedBlipShapedCaptionerCaptionsImagesOfAnySizeWithGreedyAndBeamSearch() throws Exception {
        try (TorchScriptCaptioner captioner = TorchScriptCaptioner.load(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP))) {
            List<BufferedImage> images = List.of(scene(Color.RED, 64), scene(Color.BLUE, 20));
            List<GeneratedCaption> greedy = captioner.caption(images, "short", DecodingOptions.greedy().withMaxTokens(12));
            List<GeneratedCaption> beam = captioner.caption(images, "LONG", DecodingOptions.beam(3).withMaxTokens(12));

            assertThat(greedy).hasSize(2);
            assertThat(beam).hasSize(2);
            for (GeneratedCaption caption : greedy) {
                // Random weights say nothing sensible, but every generated id is a word of the tokenizer.
                assertThat(caption.tokens()).isNotEmpty();
                assertThat(java.util.Arrays.stream(caption.tokens()).filter(id -> id != captioner.tokenizer().eos()))
                        .allMatch(id -> !captioner.tokenizer().isSpecial(id) && id < captioner.tokenizer().vocabularySize());
                assertThat(caption.text()).doesNotContain("[DEC]", "[PAD]", "[SEP]");
                assertThat(caption.tokens().length).isLessThanOrEqualTo(12 - 4);
            }
            assertThat(captioner.caption(images, "short", DecodingOptions.greedy().withMaxTokens(12)))
                    .extracting(GeneratedCaption::text).isEqualTo(greedy.stream().map(GeneratedCaption::text).toList());
            assertThat(captioner.inputSize()).isEqualTo(32);
        }
    }

    @Test
    void aStyleTheImportedCaptionerHasNoPromptForIsRefusedNamingTheStylesItHas() throws Exception {
        try (TorchScriptCaptioner captioner = TorchScriptCaptioner.load(TorchScriptFixtures.folder(TorchScriptFixtures.BLIP))) {
            assertThatThrownBy(() -> captioner.caption(List.of(scene(Color.RED, 32)), "poem", DecodingOptions.greedy()))
                    .hasMessageContaining("no style poem").hasMessageContaining("[long, short]");
        }
    }

    @Test
    void aMissingGraphIsRefusedNamingItsFile(@TempDir Path temp) throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.BLIP, temp.resolve("blip"));
        Files.delete(folder.resolve("text_decoder.pt"));

        assertThatThrownBy(() -> TorchScriptCaptioner.load(folder))
                .isInstanceOf(TorchScriptImportException.class).hasMessage("text_decoder.pt: missing");
    }

    @Test
    void aFileThatIsNotATorchScriptArchiveIsRefusedNamingItsFile(@TempDir Path temp) throws Exception {
        Path folder = TorchScriptFixtures.copy(TorchScriptFixtures.BLIP, temp.resolve("blip"));
        Files.writeString(folder.resolve("vision_encoder.pt"), "not a model");

        assertThatThrownBy(() -> TorchScriptCaptioner.load(folder))
                .isInstanceOf(TorchScriptImportException.class)
                .hasMessageStartingWith("vision_encoder.pt: not a TorchScript archive DJL can load");
    }
}
