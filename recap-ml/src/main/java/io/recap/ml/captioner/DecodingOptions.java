package io.recap.ml.captioner;

import io.recap.ml.text.CaptionTokenizer;

/**
 * How to decode captions.
 *
 * @param beamSize hypotheses kept per image; 1 is greedy decoding
 * @param maxTokens longest sequence, prompt and {@code <eos>} included (at most 77)
 * @param lengthPenalty exponent alpha of the length normalisation: a finished caption is
 *     ranked by log P / length^alpha, so 0 ranks by raw probability (favouring short captions)
 *     and 1 by mean per-token log-probability
 * @param minWords words generated before {@code <eos>} is allowed (0 for none); fixes caption
 *     length in benchmarks, or keeps a LONG caption from ending early
 * @param noRepeatNgram no n-gram of this length appears twice in a caption (0 for no limit); 4 keeps
 *     "one at the top ... one at the bottom" but stops a LONG caption from looping
 */
public record DecodingOptions(int beamSize, int maxTokens, float lengthPenalty, int minWords, int noRepeatNgram) {

    public DecodingOptions(int beamSize, int maxTokens, float lengthPenalty) {
        this(beamSize, maxTokens, lengthPenalty, 0, 0);
    }

    public DecodingOptions(int beamSize, int maxTokens, float lengthPenalty, int minWords) {
        this(beamSize, maxTokens, lengthPenalty, minWords, 0);
    }

    public DecodingOptions {
        if (noRepeatNgram < 0 || noRepeatNgram == 1) {
            throw new IllegalArgumentException("no-repeat n-gram length must be 0 (off) or at least 2: " + noRepeatNgram);
        }
        if (minWords < 0) {
            throw new IllegalArgumentException("min words must not be negative: " + minWords);
        }
        if (beamSize < 1) {
            throw new IllegalArgumentException("beam size must be at least 1: " + beamSize);
        }
        if (maxTokens < 3 || maxTokens > CaptionTokenizer.CLIP_CONTEXT) {
            throw new IllegalArgumentException("max tokens must be 3.." + CaptionTokenizer.CLIP_CONTEXT);
        }
    }

    public static DecodingOptions greedy() {
        return new DecodingOptions(1, CaptionTokenizer.CLIP_CONTEXT, 1f);
    }

    public static DecodingOptions beam(int beamSize) {
        return new DecodingOptions(beamSize, CaptionTokenizer.CLIP_CONTEXT, 1f);
    }

    public DecodingOptions withMaxTokens(int tokens) {
        return new DecodingOptions(beamSize, tokens, lengthPenalty, minWords, noRepeatNgram);
    }

    public DecodingOptions withMinWords(int words) {
        return new DecodingOptions(beamSize, maxTokens, lengthPenalty, words, noRepeatNgram);
    }

    public DecodingOptions withNoRepeatNgram(int ngram) {
        return new DecodingOptions(beamSize, maxTokens, lengthPenalty, minWords, ngram);
    }

    public DecodingOptions withLengthPenalty(float alpha) {
        return new DecodingOptions(beamSize, maxTokens, alpha, minWords, noRepeatNgram);
    }

    /** For reports: "greedy", "beam 3", "beam 3, no 4-gram twice", "beam 3, length^1.5". */
    public String describe() {
        return (beamSize == 1 ? "greedy" : "beam " + beamSize)
                + (noRepeatNgram > 0 ? ", no " + noRepeatNgram + "-gram twice" : "")
                + (beamSize > 1 && lengthPenalty != 1f ? ", length^" + lengthPenalty : "");
    }
}
