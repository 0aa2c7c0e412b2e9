package io.recap.shapes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.corpus.Json;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesWorldCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ShapesWorldCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void generateWritesACorpusAndContactSheet(@TempDir Path dir) throws Exception {
    Path corpus = dir.resolve("corpus");
    int status = run("generate", "--out", corpus.toString(), "--count", "40", "--seed", "5",
        "--size", "32", "--human", "10", "--eval", "5", "--contact-sheet",
        dir.resolve("sheet.png").toString());
    assertThat(status).as(err.toString()).isZero();
    assertThat(CorpusManifest.read(corpus).entries()).hasSize(40);
    assertThat(dir.resolve("sheet.png")).exists();
    assertThat(err.toString()).contains("scenes/s");
  }

  @Test
  void parsePrintsTheSceneAsJson(@TempDir Path dir) throws Exception {
    Scene scene = SceneGenerator.generate(8, 8);
    Path png = dir.resolve("s.png");
    SceneRenderer.writePng(SceneRenderer.render(scene, 64), png);
    assertThat(run("parse", png.toString())).isZero();
    assertThat(Json.MAPPER.readValue(out.toString(), Scene.class)).isEqualTo(scene);
  }

  @Test
  void showPrintsEveryKindAndTheGroundTruth() {
    assertThat(run("show", "--seed", "3", "--index", "7")).isZero();
    assertThat(out.toString()).contains("\"scene\"", "\"alt\"", "\"short\"", "\"long\"",
        "\"reference\"", "\"pretrain\"");
  }

  @Test
  void matchScoresAnImage(@TempDir Path dir) throws Exception {
    Scene scene = SceneGenerator.generate(8, 9);
    Path png = dir.resolve("s.png");
    SceneRenderer.writePng(SceneRenderer.render(scene, 64), png);
    String prompt = io.recap.shapes.text.CaptionWriter.write(
        io.recap.shapes.text.CaptionKind.LONG, scene, 1);
    assertThat(run("match", "--prompt", prompt, png.toString())).isZero();
    assertThat(out.toString()).contains("\"overall\" : true");
  }

  @Test
  void badArgumentsGiveAClearErrorAndStatus2() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("error: no command given", "Usage: shapes-world");
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("Unmatched argument at index 0: 'frobnicate'");
    assertThat(run("generate", "--count", "10", "--seed", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--out=DIR'");
    assertThat(run("generate", "--out", "/tmp/x", "--count", "ten", "--seed", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid value for option '--count': 'ten' is not an int");
    assertThat(run("generate", "--out", "/tmp/x", "--count", "10", "--seed", "1", "--human",
        "20")).isEqualTo(2);
    assertThat(run("show", "--seed", "1", "--index", "2", "--colour", "red")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown options: '--colour', 'red'",
        "Usage: shapes-world show");
    assertThat(run("show", "--seed", "1", "--index", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("option --index must be at least 0, got -1");
    assertThat(run("parse", "/no/such/file.png")).isEqualTo(2);
    assertThat(err.toString()).contains("no such image file");
    assertThat(run("match", "--prompt", "a nice picture", "/no/such/file.png")).isEqualTo(2);
    assertThat(err.toString()).contains("names no ShapesWorld object");
  }

  @Test
  void helpPrintsTheUsageOfEveryCommandAndExitsZero() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: shapes-world", "generate", "parse", "show", "match");
    assertThat(run("help", "generate")).isZero();
    assertThat(run("show", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: shapes-world generate", "--contact-sheet=PNG",
        "Usage: shapes-world show", "--index=I");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anUnknownOptionExitsWithStatus2AndNamesIt() {
    assertThat(run("generate", "--out", "/tmp/x", "--count", "10", "--seed", "1", "--colour",
        "red")).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: Unknown options: '--colour', 'red'");
  }
}
