package io.recap.ml.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes captions as {@code <bos> [<style>] words... <eos>} within a fixed context
 * (77 tokens, as CLIP), and decodes generated ids back to text.
 *
 * <p>Truncation keeps the sequence well formed the way CLIP does: a caption that does not fit
 * loses its last words, and the context still ends with {@code <eos>}.
 */
public final class CaptionTokenizer {

    /** CLIP's text context length, which the RECAP paper's LONG captions must fit. */
    public static final int CLIP_CONTEXT = 77;

    private final Vocabulary vocabulary;
    private final int contextLength;

    public CaptionTokenizer(Vocabulary vocabulary) {
        this(vocabulary, CLIP_CONTEXT);
    }

    public CaptionTokenizer(Vocabulary vocabulary, int contextLength) {
        if (contextLength < 3) {
            throw new IllegalArgumentException("context must hold <bos>, a word and <eos>: " + contextLength);
        }
        this.vocabulary = vocabulary;
        this.contextLength = contextLength;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int contextLength() {
        return contextLength;
    }

    /** The decoding prompt for a style: {@code <bos> <style>}, or just {@code <bos>} when style is null. */
    public int[] prompt(String style) {
        return style == null ? new int[] {Vocabulary.BOS_ID} : new int[] {Vocabulary.BOS_ID, vocabulary.styleId(style)};
    }

    /** Encodes a caption with its style prefix (null for none), truncated to the context. */
    public int[] encode(String style, String caption) {
        int[] prompt = prompt(style);
        List<String> words = WordSplitter.split(caption);
        int wordCount = Math.min(words.size(), contextLength - prompt.length - 1);
        int[] ids = new int[prompt.length + wordCount + 1];
        System.arraycopy(prompt, 0, ids, 0, prompt.length);
        for (int i = 0; i < wordCount; i++) {
            ids[prompt.length + i] = vocabulary.id(words.get(i));
        }
        ids[ids.length - 1] = Vocabulary.EOS_ID;
        return ids;
    }

    /** Counts the tokens a caption takes, including {@code <bos>}, style and {@code <eos>}, before truncation. */
    public int countTokens(String style, String caption) {
        return prompt(style).length + WordSplitter.split(caption).size() + 1;
    }

    /**
     * Right-pads encoded sequences with {@code <pad>} to the longest one, as a row-major
     * (batch, length) array ready for {@code NDManager.create(long[], Shape)}.
     */
    public static long[] padBatch(List<int[]> sequences, int length) {
        long[] batch = new long[sequences.size() * length];
        for (int row = 0; row < sequences.size(); row++) {
            int[] ids = sequences.get(row);
            if (ids.length > length) {
                throw new IllegalArgumentException("sequence of " + ids.length + " exceeds " + length);
            }
            for (int i = 0; i < ids.length; i++) {
                batch[row * length + i] = ids[i];
            }
        }
        return batch;
    }

    /** Text of generated ids: control tokens are dropped and decoding stops at {@code <eos>}. */
    public String decode(int[] ids) {
        List<String> words = new ArrayList<>();
        for (int id : ids) {
            if (id == Vocabulary.EOS_ID) {
                break;
            }
            if (id == Vocabulary.UNK_ID || !vocabulary.isControl(id)) {
                words.add(vocabulary.token(id));
            }
        }
        return WordSplitter.join(words);
    }
}
