package io.recap.ml.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    private static final List<String> CORPUS = List.of(
            "A red square, top left.",
            "Two blue circles at the bottom.",
            "a red circle");

    @Test
    void startsWithSpecialThenStyleTokensThenWordsByFrequency() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, List.of("short", "long", "terse"), 1);

        assertThat(vocabulary.tokens().subList(0, 7))
                .containsExactly("<pad>", "<bos>", "<eos>", "<unk>", "<short>", "<long>", "<terse>");
        assertThat(vocabulary.tokens().subList(7, 10)).containsExactly(".", "a", "red");
        assertThat(vocabulary.styles()).containsExactly("short", "long", "terse");
        assertThat(vocabulary.styleId("SHORT")).isEqualTo(4);
        assertThat(vocabulary.styleId("<long>")).isEqualTo(5);
        assertThat(vocabulary.id("giraffe")).isEqualTo(Vocabulary.UNK_ID);
        assertThat(vocabulary.isControl(6)).isTrue();
        assertThat(vocabulary.isControl(7)).isFalse();
        assertThatThrownBy(() -> vocabulary.styleId("poetic")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropsRareWordsBelowMinimumFrequency() {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, List.of("short"), 2);
        assertThat(vocabulary.contains("red")).isTrue();
        assertThat(vocabulary.contains("blue")).isFalse();
    }

    @Test
    void savesAndLoadsTheSameTokens(@TempDir Path directory) throws Exception {
        Vocabulary vocabulary = Vocabulary.build(CORPUS, List.of("short", "long"), 1);
        Path file = directory.resolve(Vocabulary.FILE_NAME);

        vocabulary.save(file);
        Vocabulary loaded = Vocabulary.load(file);

        assertThat(loaded).isEqualTo(vocabulary);
        assertThat(loaded.styles()).containsExactly("short", "long");
        assertThat(loaded.id("circles")).isEqualTo(vocabulary.id("circles"));
    }
}
