package io.recap.shapes.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.shapes.oracle.Oracle;
import io.recap.shapes.text.AltTextConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusGeneratorTest {
  @Test
  void writesImagesAndAManifestWithSplitsAndEveryText(@TempDir Path dir) throws Exception {
    CorpusConfig config = new CorpusConfig(dir, 150, 7, 32, 20, 30, AltTextConfig.defaults());
    List<String> log = new ArrayList<>();
    CorpusSummary summary = CorpusGenerator.generate(config, log::add);
    assertThat(summary.train()).isEqualTo(100);
    assertThat(log).last().asString().contains("scenes/s");

    CorpusManifest manifest = CorpusManifest.read(dir);
    assertThat(manifest.entries()).hasSize(150);
    assertThat(manifest.entries(Split.HUMAN)).hasSize(20);
    assertThat(manifest.entries(Split.EVAL)).hasSize(30);
    assertThat(manifest.entries(Split.TRAIN)).hasSize(100);
    for (CorpusEntry entry : manifest.entries()) {
      assertThat(entry).isEqualTo(CorpusGenerator.entry(config, entry.index()));
      assertThat(Oracle.parse(manifest.image(entry))).isEqualTo(entry.scene());
      assertThat(entry.captions().reference()).hasSize(5);
      assertThat(entry.altText()).isNotBlank();
    }
    String firstLine = Files.readAllLines(dir.resolve(CorpusGenerator.MANIFEST)).get(0);
    assertThat(firstLine).contains("\"split\":\"human\"", "\"file\":\"images/000000.png\"",
        "\"short\":", "\"long\":", "\"reference\":", "\"pretrain\":", "\"altText\":",
        "\"scene\":");
    assertThat(dir.resolve(CorpusGenerator.INFO)).exists();
  }

  @Test
  void contactSheetShowsScenesWithTheirTexts(@TempDir Path dir) throws Exception {
    CorpusGenerator.generate(CorpusConfig.of(dir.resolve("c"), 10, 3), line -> { });
    Path sheet = dir.resolve("sheet.png");
    ContactSheet.write(dir.resolve("c"), sheet, 8);
    var image = ImageIO.read(sheet.toFile());
    assertThat(image.getWidth()).isEqualTo(4 * 280);
    assertThat(image.getHeight()).isGreaterThan(2 * 128);
    Path fromSeed = dir.resolve("seed.png");
    ContactSheet.write(3, 5, 64, fromSeed);
    assertThat(fromSeed).exists();
  }

  @Test
  void rejectsInconsistentSplits(@TempDir Path dir) {
    assertThatThrownBy(() -> new CorpusConfig(dir, 100, 1, 64, 80, 30, AltTextConfig.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("human + eval");
    assertThat(CorpusConfig.of(dir, 50, 1).evalCount()).isZero();
  }
}
