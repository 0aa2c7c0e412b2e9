package io.recap.ml.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionTokenizerTest {

    private final Vocabulary vocabulary = Vocabulary.build(
            List.of("a red square, top left.", "the big blue circle's edge"), List.of("short", "long"), 1);
    private final CaptionTokenizer tokenizer = new CaptionTokenizer(vocabulary);

    @Test
    void splitsLowerCaseWordsAndPunctuation() {
        assertThat(WordSplitter.split("A Red square, top-left. It's (big)!"))
                .containsExactly("a", "red", "square", ",", "top", "-", "left", ".", "it's", "(", "big", ")", "!");
        assertThat(WordSplitter.join(List.of("a", "red", "square", ",", "top", "(", "big", ")", ".")))
                .isEqualTo("a red square, top (big).");
    }

    @Test
    void encodesBosStyleWordsEosAndDecodesBack() {
        int[] ids = tokenizer.encode("short", "A red square, top left.");

        assertThat(ids[0]).isEqualTo(Vocabulary.BOS_ID);
        assertThat(ids[1]).isEqualTo(vocabulary.styleId("short"));
        assertThat(ids[ids.length - 1]).isEqualTo(Vocabulary.EOS_ID);
        assertThat(ids).hasSize(10);
        assertThat(tokenizer.decode(ids)).isEqualTo("a red square, top left.");
        assertThat(tokenizer.encode(null, "red")).containsExactly(Vocabulary.BOS_ID, vocabulary.id("red"),
                Vocabulary.EOS_ID);
    }

    @Test
    void unknownWordsBecomeUnkAndDecodingStopsAtEos() {
        int[] ids = tokenizer.encode("long", "a purple square");
        assertThat(ids[3]).isEqualTo(Vocabulary.UNK_ID);
        assertThat(tokenizer.decode(new int[] {vocabulary.id("red"), Vocabulary.EOS_ID, vocabulary.id("square")}))
                .isEqualTo("red");
    }

    @Test
    void truncatesLikeClipKeepingBosAndEosWithinSeventySevenTokens() {
        String longCaption = String.join(" ", Collections.nCopies(100, "red"));

        int[] ids = tokenizer.encode("long", longCaption);

        assertThat(ids).hasSize(CaptionTokenizer.CLIP_CONTEXT);
        assertThat(ids[0]).isEqualTo(Vocabulary.BOS_ID);
        assertThat(ids[76]).isEqualTo(Vocabulary.EOS_ID);
        assertThat(ids[75]).isEqualTo(vocabulary.id("red"));
        assertThat(tokenizer.countTokens("long", longCaption)).isEqualTo(103);
    }

    @Test
    void padsBatchesWithPadIdToACommonLength() {
        long[] batch = CaptionTokenizer.padBatch(List.of(new int[] {1, 5, 2}, new int[] {1, 2}), 4);
        assertThat(batch).containsExactly(1, 5, 2, 0, 1, 2, 0, 0);
    }
}
