package io.recap.ml.captioner;

import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batched, length-normalised beam search over a next-token scorer; beam size 1 is greedy
 * decoding. Selection runs on the host: vocabularies here are small, and one scorer call
 * per step covers every live hypothesis of every image.
 */
final class BeamSearch {

    /** Next-token log-probabilities (rows, V) for sequences of equal length, row r belonging to image[r]. */
    interface Scorer {
        float[][] nextLogProbabilities(int[] imageOfRow, int[][] sequences);
    }

    private record Hypothesis(int[] tokens, float logProbability) {
        Hypothesis extend(int token, float tokenLogProbability) {
            int[] extended = Arrays.copyOf(tokens, tokens.length + 1);
            extended[tokens.length] = token;
            return new Hypothesis(extended, logProbability + tokenLogProbability);
        }
    }

    /** What the search needs of a tokenizer: which id ends a caption, which ids a caption never holds, the text. */
    interface TokenSpace {
        int eosId();

        boolean isControl(int id);

        String decode(int[] generated);
    }

    private final TokenSpace tokens;
    private final DecodingOptions options;

    BeamSearch(CaptionTokenizer tokenizer, DecodingOptions options) {
        this(new TokenSpace() {
            @Override
            public int eosId() {
                return Vocabulary.EOS_ID;
            }

            @Override
            public boolean isControl(int id) {
                return tokenizer.vocabulary().isControl(id);
            }

            @Override
            public String decode(int[] generated) {
                return tokenizer.decode(generated);
            }
        }, options);
    }

    BeamSearch(TokenSpace tokens, DecodingOptions options) {
        this.tokens = tokens;
        this.options = options;
    }

    List<GeneratedCaption> decode(Scorer scorer, int images, int[] prompt) {
        int k = options.beamSize();
        List<List<Hypothesis>> live = new ArrayList<>();
        List<List<Hypothesis>> finished = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            live.add(new ArrayList<>(List.of(new Hypothesis(prompt, 0f))));
            finished.add(new ArrayList<>());
        }
        for (int length = prompt.length; length < options.maxTokens(); length++) {
            List<Integer> rowsImage = new ArrayList<>();
            List<int[]> rows = new ArrayList<>();
            for (int i = 0; i < images; i++) {
                for (Hypothesis hypothesis : live.get(i)) {
                    rowsImage.add(i);
                    rows.add(hypothesis.tokens());
                }
            }
            if (rows.isEmpty()) {
                break;
            }
            float[][] scores = scorer.nextLogProbabilities(
                    rowsImage.stream().mapToInt(Integer::intValue).toArray(), rows.toArray(new int[0][]));
            // The last slot of the context is reserved for <eos>, as in a truncated encoding.
            boolean lastSlot = length == options.maxTokens() - 1;
            boolean eosAllowed = length - prompt.length >= options.minWords();
            int row = 0;
            for (int i = 0; i < images; i++) {
                List<Hypothesis> candidates = new ArrayList<>();
                for (Hypothesis hypothesis : live.get(i)) {
                    banRepeatedNgrams(hypothesis.tokens(), prompt.length, options.noRepeatNgram(), scores[row]);
                    for (int token : topTokens(scores[row++], 2 * k, lastSlot, eosAllowed)) {
                        candidates.add(hypothesis.extend(token, scores[row - 1][token]));
                    }
                }
                candidates.sort(Comparator.comparingDouble(Hypothesis::logProbability).reversed());
                List<Hypothesis> next = new ArrayList<>();
                for (int rank = 0; rank < candidates.size() && next.size() < k; rank++) {
                    Hypothesis candidate = candidates.get(rank);
                    if (candidate.tokens()[candidate.tokens().length - 1] == tokens.eosId()) {
                        // Only an <eos> among the k best ends a hypothesis, as in standard beam search.
                        if (rank < k) {
                            finished.get(i).add(candidate);
                        }
                    } else {
                        next.add(candidate);
                    }
                }
                live.set(i, done(finished.get(i), next, prompt.length) ? new ArrayList<>() : next);
            }
        }
        List<GeneratedCaption> captions = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            List<Hypothesis> pool = finished.get(i).isEmpty() ? live.get(i) : finished.get(i);
            Hypothesis best = pool.stream()
                    .max(Comparator.comparingDouble(h -> normalised(h, prompt.length)))
                    .orElse(new Hypothesis(prompt, 0f));
            captions.add(toCaption(best, prompt.length));
        }
        return captions;
    }

    /**
     * Forbids every token that would complete an n-gram the caption already contains (n =
     * {@code ngram}, 0 for none): small captioners loop ("the background is white background is
     * white ..."), and each loop adds objects that are not in the picture.
     */
    static void banRepeatedNgrams(int[] tokens, int promptLength, int ngram, float[] logProbabilities) {
        int length = tokens.length;
        if (ngram < 2 || length - promptLength < ngram - 1) {
            return;
        }
        for (int start = promptLength; start + ngram - 1 < length; start++) {
            boolean matches = true;
            for (int j = 0; j < ngram - 1 && matches; j++) {
                matches = tokens[start + j] == tokens[length - ngram + 1 + j];
            }
            if (matches) {
                logProbabilities[tokens[start + ngram - 1]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /**
     * Keeps the k best finished hypotheses and says whether the image is done: it is once k
     * have finished and no live hypothesis scores better than the worst of them at its current
     * length (the usual heuristic; a longer caption could still overtake, but rarely does).
     */
    private boolean done(List<Hypothesis> finished, List<Hypothesis> live, int promptLength) {
        int k = options.beamSize();
        finished.sort(Comparator.comparingDouble((Hypothesis h) -> normalised(h, promptLength)).reversed());
        while (finished.size() > k) {
            finished.remove(finished.size() - 1);
        }
        if (live.isEmpty() || (k == 1 && !finished.isEmpty())) {
            return true; // with one beam, the first <eos> ends it: that is greedy decoding
        }
        if (finished.size() < k) {
            return false;
        }
        float worstFinished = normalised(finished.get(k - 1), promptLength);
        float bestLive = live.stream().map(h -> normalised(h, promptLength)).max(Float::compare).orElseThrow();
        return worstFinished >= bestLive;
    }

    private float normalised(Hypothesis hypothesis, int promptLength) {
        int generated = Math.max(1, hypothesis.tokens().length - promptLength);
        return (float) (hypothesis.logProbability() / Math.pow(generated, options.lengthPenalty()));
    }

    private GeneratedCaption toCaption(Hypothesis hypothesis, int promptLength) {
        int[] generated = Arrays.copyOfRange(hypothesis.tokens(), promptLength, hypothesis.tokens().length);
        return new GeneratedCaption(tokens.decode(generated), generated, hypothesis.logProbability(),
                normalised(hypothesis, promptLength));
    }

    /** The best {@code count} tokens a caption may contain: words and {@code <eos>}, never other control tokens. */
    private int[] topTokens(float[] logProbabilities, int count, boolean eosOnly, boolean eosAllowed) {
        if (eosOnly) {
            return new int[] {tokens.eosId()};
        }
        int[] best = new int[count];
        int found = 0;
        for (int token = 0; token < logProbabilities.length; token++) {
            boolean eos = token == tokens.eosId();
            if (eos ? !eosAllowed : tokens.isControl(token)) {
                continue;
            }
            int position = found < count ? found++ : count;
            // Insertion into a small sorted array: count is 2 x beam size.
            while (position > 0 && logProbabilities[best[position - 1]] < logProbabilities[token]) {
                if (position < count) {
                    best[position] = best[position - 1];
                }
                position--;
            }
            if (position < count) {
                best[position] = token;
            }
        }
        return Arrays.copyOf(best, found);
    }
}
