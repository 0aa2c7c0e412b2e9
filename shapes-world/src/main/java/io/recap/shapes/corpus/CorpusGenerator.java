package io.recap.shapes.corpus;

import io.recap.core.corpus.CorpusRecord;
import io.recap.core.corpus.CorpusRecords;
import io.recap.core.domain.CaptionStyle;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Writes a corpus directory: {@code images/NNNNNN.png}, {@code manifest.jsonl} (one
 * {@link CorpusEntry} per line, in index order), {@code corpus.jsonl} (the same images as the
 * platform's neutral {@link CorpusRecord}s, in the same order) and {@code corpus.json} (the
 * config). Scenes are rendered in parallel in chunks; each depends only on (seed, index), so
 * output is identical whatever the thread count.
 */
public final class CorpusGenerator {
  /**
   * ShapesWorld's own manifest, typed ({@link Scene}, {@link Split}): kept beside
   * {@link #RECORDS} because shapes-world-ml ({@code CaptionerCorpus}, {@code HumanCaptionMix},
   * {@code EvaluationScene}), the orchestrator's training and evaluation tasks and
   * recap-experiments read ShapesWorld corpora through {@link CorpusManifest}.
   */
  public static final String MANIFEST = "manifest.jsonl";
  /**
   * The neutral corpus manifest ({@link CorpusRecords#FILE_NAME}): what the platform's ingest
   * reads, so that it needs no ShapesWorld class. The scene and the texts the platform has no field
   * for are its metadata.
   */
  public static final String RECORDS = CorpusRecords.FILE_NAME;
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
        StandardCharsets.UTF_8);
        CorpusRecords.Writer records = CorpusRecords.writer(dir.resolve(RECORDS))) {
      for (int from = 0; from < config.count(); from += CHUNK) {
        int to = Math.min(config.count(), from + CHUNK);
        List<Written> written = IntStream.range(from, to).parallel()
            .mapToObj(i -> writeScene(config, i, width)).toList();
        for (Written scene : written) {
          manifest.write(scene.manifestLine());
          manifest.write('\n');
          records.write(scene.record());
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

  /**
   * The neutral record of an entry: its id, file (as the image, relative to the corpus
   * directory), split, alt-text and human SHORT and LONG captions; index, scene seed, scene,
   * reference and pretraining captions go to metadata, in the JSON that {@code manifest.jsonl}
   * has for them, so a reader may turn {@code metadata.scene} back into a {@link Scene}.
   */
  public static CorpusRecord record(CorpusEntry entry) {
    Map<CaptionStyle, String> captions = new EnumMap<>(CaptionStyle.class);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("index", entry.index());
    metadata.put("sceneSeed", entry.sceneSeed());
    metadata.put("scene", Json.MAPPER.convertValue(entry.scene(), Object.class));
    ManifestCaptions texts = entry.captions();
    if (texts != null) {
      putIfPresent(captions, CaptionStyle.SHORT, texts.shortCaption());
      putIfPresent(captions, CaptionStyle.LONG, texts.longCaption());
      metadata.put("reference", texts.reference());
      if (texts.pretrain() != null) {
        metadata.put("pretrain", texts.pretrain());
      }
    }
    return new CorpusRecord(entry.id(), entry.file(), entry.altText(),
        entry.split() == null ? null : entry.split().wireName(), captions, metadata);
  }

  private static void putIfPresent(Map<CaptionStyle, String> captions, CaptionStyle style,
      String text) {
    if (text != null && !text.isBlank()) {
      captions.put(style, text);
    }
  }

  /** One scene's manifest line and record, made in parallel and written in index order. */
  private record Written(String manifestLine, CorpusRecord record) {}

  private static Written writeScene(CorpusConfig config, int index, int width) {
    CorpusEntry entry = entry(config, index, width);
    try {
      SceneRenderer.writePng(SceneRenderer.render(entry.scene(), config.imageSize(),
          entry.sceneSeed()), config.outDir().resolve(entry.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Written(Json.MAPPER.writeValueAsString(entry), record(entry));
  }
}
