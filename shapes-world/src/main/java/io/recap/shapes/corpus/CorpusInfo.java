package io.recap.shapes.corpus;

import io.recap.shapes.text.AltTextConfig;

/** {@code corpus.json}: how a corpus was generated, enough to regenerate it exactly. */
public record CorpusInfo(int count, long seed, int imageSize, int humanCount, int evalCount,
    AltTextConfig altText) {}
