package io.recap.shapes.corpus;

import io.recap.shapes.render.SceneRenderer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads a corpus directory written by {@link CorpusGenerator}. */
public final class CorpusManifest {
  private final Path dir;
  private final List<CorpusEntry> entries;

  private CorpusManifest(Path dir, List<CorpusEntry> entries) {
    this.dir = dir;
    this.entries = List.copyOf(entries);
  }

  /** Reads {@code dir/manifest.jsonl}; blank lines are skipped. */
  public static CorpusManifest read(Path dir) throws IOException {
    Path file = dir.resolve(CorpusGenerator.MANIFEST);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no " + CorpusGenerator.MANIFEST + " in " + dir);
    }
    List<CorpusEntry> entries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          entries.add(Json.MAPPER.readValue(line, CorpusEntry.class));
        } catch (RuntimeException e) {
          throw new IOException(file + ":" + number + ": bad manifest line: " + e.getMessage(), e);
        }
      }
    }
    return new CorpusManifest(dir, entries);
  }

  public Path dir() {
    return dir;
  }

  public List<CorpusEntry> entries() {
    return entries;
  }

  public List<CorpusEntry> entries(Split split) {
    return filter(e -> e.split() == split);
  }

  public List<CorpusEntry> filter(Predicate<CorpusEntry> predicate) {
    return entries.stream().filter(predicate).toList();
  }

  public Path imagePath(CorpusEntry entry) {
    return dir.resolve(entry.file());
  }

  public BufferedImage image(CorpusEntry entry) throws IOException {
    return SceneRenderer.readImage(imagePath(entry));
  }
}
