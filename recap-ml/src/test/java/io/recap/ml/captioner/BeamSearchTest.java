package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Beam search logic against a scripted next-token distribution; no engine needed. */
class BeamSearchTest {

    private final Vocabulary vocabulary = Vocabulary.build(List.of("a b c"), List.of("short"), 1);
    private final CaptionTokenizer tokenizer = new CaptionTokenizer(vocabulary);
    private final int a = vocabulary.id("a");
    private final int b = vocabulary.id("b");
    private final int c = vocabulary.id("c");
    private final int[] prompt = tokenizer.prompt("short");

    /** Greedy takes "a" (0.55) and then "c" (0.4); "b" then <eos> (0.45 x 0.95) is the better caption. */
    private final Map<String, Map<Integer, Float>> script = Map.of(
            "", Map.of(a, 0.55f, b, 0.45f),
            "a", Map.of(c, 0.4f, Vocabulary.EOS_ID, 0.3f, b, 0.3f),
            "a c", Map.of(Vocabulary.EOS_ID, 1f),
            "b", Map.of(Vocabulary.EOS_ID, 0.95f, a, 0.05f));

    private float[][] scripted(int[] imageOfRow, int[][] sequences) {
        float[][] scores = new float[sequences.length][];
        for (int r = 0; r < sequences.length; r++) {
            int[] generated = Arrays.copyOfRange(sequences[r], prompt.length, sequences[r].length);
            Map<Integer, Float> next = script.getOrDefault(tokenizer.decode(generated), Map.of(Vocabulary.EOS_ID, 1f));
            float[] row = new float[vocabulary.size()];
            Arrays.fill(row, (float) Math.log(1e-6));
            next.forEach((token, p) -> row[token] = (float) Math.log(p));
            scores[r] = row;
        }
        return scores;
    }

    @Test
    void greedyFollowsTheLocallyBestToken() {
        List<GeneratedCaption> captions = new BeamSearch(tokenizer, DecodingOptions.greedy())
                .decode(this::scripted, 2, prompt);

        assertThat(captions).extracting(GeneratedCaption::text).containsExactly("a c", "a c");
        assertThat(captions.get(0).tokens()).containsExactly(a, c, Vocabulary.EOS_ID);
        assertThat(captions.get(0).logProbability()).isCloseTo((float) (Math.log(0.55) + Math.log(0.4)), within(1e-5f));
    }

    @Test
    void beamFindsTheCaptionWithTheBetterNormalisedScore() {
        GeneratedCaption greedy = new BeamSearch(tokenizer, DecodingOptions.greedy()).decode(this::scripted, 1, prompt)
                .get(0);
        GeneratedCaption beam = new BeamSearch(tokenizer, DecodingOptions.beam(2)).decode(this::scripted, 1, prompt)
                .get(0);

        assertThat(beam.text()).isEqualTo("b");
        assertThat(beam.score()).isGreaterThan(greedy.score());
        assertThat(beam.score()).isCloseTo((float) (Math.log(0.45) + Math.log(0.95)) / 2, within(1e-5f));
    }

    @Test
    void minimumWordsHoldBackEos() {
        GeneratedCaption caption = new BeamSearch(tokenizer, DecodingOptions.greedy().withMinWords(3))
                .decode(this::scripted, 1, prompt).get(0);
        assertThat(caption.tokens()).hasSize(4);
        assertThat(caption.tokens()[3]).isEqualTo(Vocabulary.EOS_ID);
    }

    @Test
    void neverEmitsControlTokensAndEndsWithEosWithinTheContext() {
        BeamSearch.Scorer favoursControlTokens = (images, sequences) -> {
            float[][] scores = new float[sequences.length][vocabulary.size()];
            for (float[] row : scores) {
                Arrays.fill(row, -20f);
                row[Vocabulary.UNK_ID] = -0.1f;
                row[Vocabulary.PAD_ID] = -0.1f;
                row[vocabulary.styleId("short")] = -0.1f;
                row[a] = -1f;
            }
            return scores;
        };
        for (int beamSize : new int[] {1, 3}) {
            GeneratedCaption caption = new BeamSearch(tokenizer, new DecodingOptions(beamSize, 10, 1f))
                    .decode(favoursControlTokens, 1, prompt).get(0);
            assertThat(caption.tokens()).hasSize(10 - prompt.length);
            assertThat(caption.tokens()[caption.tokens().length - 1]).isEqualTo(Vocabulary.EOS_ID);
            assertThat(Arrays.stream(caption.tokens()).limit(caption.tokens().length - 1)).containsOnly(a);
        }
    }

    @Test
    void aRepeatedNgramIsForbiddenButEveryOtherContinuationStays() {
        // Prompt [1, 2], then "7 8 9 5 7 8": with n = 3, "7 8" was followed by 9 once, so 9 is banned now.
        int[] tokens = {1, 2, 7, 8, 9, 5, 7, 8};
        float[] scores = new float[12];
        BeamSearch.banRepeatedNgrams(tokens, 2, 3, scores);
        assertThat(scores[9]).isEqualTo(Float.NEGATIVE_INFINITY);
        for (int token = 0; token < scores.length; token++) {
            if (token != 9) {
                assertThat(scores[token]).as("token " + token).isZero();
            }
        }
        // n = 4 looks at "9 5 7 8"... only "5 7 8" / "7 8" contexts of length 3: "5 7 8" never came before.
        float[] four = new float[12];
        BeamSearch.banRepeatedNgrams(tokens, 2, 4, four);
        assertThat(four).containsOnly(0f);
        // The prompt does not count: "1 2" repeated after it is fine with n = 3.
        float[] prompt = new float[12];
        BeamSearch.banRepeatedNgrams(new int[] {1, 2, 1, 2}, 2, 3, prompt);
        assertThat(prompt).containsOnly(0f);
        // 0 turns it off.
        float[] off = new float[12];
        BeamSearch.banRepeatedNgrams(tokens, 2, 0, off);
        assertThat(off).containsOnly(0f);
    }
}
