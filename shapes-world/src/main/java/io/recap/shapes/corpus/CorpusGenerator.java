package io.recap.shapes.corpus;

import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Writes a corpus directory: {@code images/NNNNNN.png}, {@code manifest.jsonl} (one
 * {@link CorpusEntry} per line, in index order) and {@code corpus.json} (the config). Scenes are
 * rendered in parallel in chunks; each depends only on (seed, index), so output is identical
 * whatever the thread count.
 */
public final class CorpusGenerator {
  public static final String MANIFEST = "manifest.jsonl";
  public static final String INFO = "corpus.json";
  public static final String IMAGES = "images";
  private static final int CHUNK = 512;

  private CorpusGenerator() {}

  /** Generates the corpus, logging progress lines to {@code log} every few seconds. */
  public static CorpusSummary generate(CorpusConfig config, Consumer<String> log)
      throws IOException {
    Path dir = config.outDir();
    Files.createDirectories(dir.resolve(IMAGES));
    ProgressLog progress = new ProgressLog(log, config.count(), 3.0);
    int width = Math.max(6, String.valueOf(config.count() - 1).length());
    try (BufferedWriter manifest = Files.newBufferedWriter(dir.resolve(MANIFEST),
        StandardCharsets.UTF_8)) {
      for (int from = 0; from < config.count(); from += CHUNK) {
        int to = Math.min(config.count(), from + CHUNK);
        List<String> lines = IntStream.range(from, to).parallel()
            .mapToObj(i -> writeScene(config, i, width)).toList();
        for (String line : lines) {
          manifest.write(line);
          manifest.write('\n');
        }
        progress.update(to);
      }
    }
    Json.PRETTY.writeValue(dir.resolve(INFO).toFile(), new CorpusInfo(config.count(),
        config.seed(), config.imageSize(), config.humanCount(), config.evalCount(),
        config.altText()));
    double seconds = progress.elapsedSeconds();
    int train = config.count() - config.humanCount() - config.evalCount();
    CorpusSummary summary = new CorpusSummary(dir, config.count(), config.humanCount(),
        config.evalCount(), train, seconds);
    log.accept(String.format(Locale.ROOT,
        "generated %d scenes (human %d, eval %d, train %d) in %.1f s (%.0f scenes/s) to %s",
        summary.scenes(), summary.human(), summary.eval(), summary.train(), seconds,
        summary.scenesPerSecond(), dir));
    return summary;
  }

  /** The manifest entry of scene {@code index}, without touching the disk. */
  public static CorpusEntry entry(CorpusConfig config, long index) {
    int width = Math.max(6, String.valueOf(config.count() - 1).length());
    return entry(config, index, width);
  }

  private static CorpusEntry entry(CorpusConfig config, long index, int width) {
    long sceneSeed = SceneGenerator.sceneSeed(config.seed(), index);
    Scene scene = SceneGenerator.generate(config.seed(), index);
    var captions = CaptionWriter.captions(scene, sceneSeed, config.altText());
    String number = String.format(Locale.ROOT, "%0" + width + "d", index);
    return new CorpusEntry("sw-s" + config.seed() + "-" + number, index, sceneSeed,
        IMAGES + "/" + number + ".png", config.splitOf(index), captions.altText(), scene,
        ManifestCaptions.of(captions));
  }

  private static String writeScene(CorpusConfig config, int index, int width) {
    CorpusEntry entry = entry(config, index, width);
    try {
      SceneRenderer.writePng(SceneRenderer.render(entry.scene(), config.imageSize(),
          entry.sceneSeed()), config.outDir().resolve(entry.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.MAPPER.writeValueAsString(entry);
  }
}
