package io.recap.shapes.corpus;

import io.recap.shapes.scene.Scene;

/**
 * One line of {@code manifest.jsonl}.
 *
 * @param id stable image id, e.g. "sw-s42-000123"
 * @param index position of the scene in its seeded stream
 * @param sceneSeed the seed that produced scene, jitter and texts
 * @param file PNG path relative to the corpus directory
 * @param split train, human or eval
 * @param altText the web-like alt-text the corpus comes with
 * @param scene ground truth
 * @param captions SHORT, LONG, reference and pretraining captions
 */
public record CorpusEntry(String id, long index, long sceneSeed, String file, Split split,
    String altText, Scene scene, ManifestCaptions captions) {}
