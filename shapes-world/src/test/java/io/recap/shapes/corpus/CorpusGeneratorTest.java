package io.recap.shapes.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.corpus.CorpusRecords;
import io.recap.core.domain.CaptionStyle;
import io.recap.shapes.oracle.Oracle;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.text.AltTextConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    assertThat(dir.resolve(CorpusGenerator.RECORDS)).exists();
  }

  @Test
  void writesTheNeutralCorpusManifestBesideItsOwnWithTheSceneAsMetadata(@TempDir Path dir)
      throws Exception {
    CorpusConfig config = new CorpusConfig(dir, 12, 5, 32, 2, 3, AltTextConfig.defaults());
    CorpusGenerator.generate(config, line -> { });
    List<CorpusRecords.LineError> errors = new ArrayList<>();

    List<CorpusRecord> records = CorpusRecords.readAll(dir.resolve(CorpusGenerator.RECORDS),
        errors::add);

    assertThat(errors).isEmpty();
    List<CorpusEntry> entries = CorpusManifest.read(dir).entries();
    assertThat(records).hasSameSizeAs(entries);
    for (int i = 0; i < records.size(); i++) {
      CorpusEntry entry = entries.get(i);
      CorpusRecord record = records.get(i);
      assertThat(record).isEqualTo(CorpusGenerator.record(entry));
      assertThat(record.id()).isEqualTo(entry.id());
      assertThat(dir.resolve(record.image())).isEqualTo(CorpusManifest.read(dir).imagePath(entry));
      assertThat(record.split()).isEqualTo(entry.split().wireName());
      assertThat(record.altText()).isEqualTo(entry.altText());
      assertThat(record.captions()).containsExactly(
          Map.entry(CaptionStyle.SHORT, entry.captions().shortCaption()),
          Map.entry(CaptionStyle.LONG, entry.captions().longCaption()));
      assertThat(record.metadata()).containsOnlyKeys("index", "sceneSeed", "scene", "reference",
          "pretrain");
      assertThat(record.metadata().get("index")).isEqualTo(entry.index());
      assertThat(record.metadata().get("sceneSeed")).isEqualTo(entry.sceneSeed());
      assertThat(record.metadata().get("reference")).isEqualTo(entry.captions().reference());
      assertThat(record.metadata().get("pretrain")).isEqualTo(entry.captions().pretrain());
      // The ground truth survives the neutral manifest: a reader can have its scene back.
      assertThat(Json.MAPPER.convertValue(record.metadata().get("scene"), Scene.class))
          .isEqualTo(entry.scene());
    }
    assertThat(records).extracting(CorpusRecord::split).containsOnly("human", "eval", "train");
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
