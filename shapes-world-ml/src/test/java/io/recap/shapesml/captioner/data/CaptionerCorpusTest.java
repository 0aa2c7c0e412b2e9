package io.recap.shapesml.captioner.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.captioner.CaptionExample;
import io.recap.ml.text.Vocabulary;
import io.recap.ml.text.WordSplitter;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.Split;
import io.recap.shapes.text.AltTextConfig;
import io.recap.shapes.text.GroundedCaptionWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ShapesWorld → captioner data: right splits, right styles, right words. No training here. */
class CaptionerCorpusTest {

    @TempDir
    static Path directory;

    private static CaptionerCorpus corpus;

    @BeforeAll
    static void generate() throws Exception {
        CorpusGenerator.generate(new CorpusConfig(directory, 48, 5, 32, 12, 8, AltTextConfig.defaults()), line -> { });
        corpus = CaptionerCorpus.read(directory);
    }

    @Test
    void identifiesCorpusAndHumanSet() {
        assertThat(corpus.id()).isEqualTo("shapes-s5-n48");
        assertThat(corpus.humanSetId()).isEqualTo("shapes-s5-n48/human-12");
    }

    @Test
    void vocabularyHasEveryWordOfTheHumanCaptionsAndFiveStyles() {
        Vocabulary vocabulary = corpus.vocabulary();
        assertThat(vocabulary.styles()).containsExactly("short", "long", "terse", "reference", "grounded");
        for (CorpusEntry entry : corpus.entries(Split.HUMAN)) {
            for (String caption : List.of(entry.captions().shortCaption(), entry.captions().longCaption())) {
                for (String word : WordSplitter.split(caption)) {
                    // A word the whole corpus uses once may be dropped; the writers' words recur.
                    if (corpus.texts().stream().filter(t -> WordSplitter.split(t).contains(word)).count() > 1) {
                        assertThat(vocabulary.contains(word)).as(word).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void pretrainingUsesTerseReferenceAndGroundedCaptionsOfTrainScenesOnly() {
        List<CaptionExample> examples = corpus.pretrainingExamples(100);
        List<CorpusEntry> train = corpus.entries(Split.TRAIN);
        List<String> expected = new ArrayList<>();
        for (CorpusEntry entry : train) {
            expected.add(CaptionerCorpus.TERSE + ": " + entry.captions().pretrain());
            expected.add(CaptionerCorpus.GROUNDED + ": " + GroundedCaptionWriter.write(entry.scene()));
            entry.captions().reference().forEach(reference -> expected.add(CaptionerCorpus.REFERENCE + ": " + reference));
        }
        assertThat(examples).extracting(example -> example.style() + ": " + example.caption())
                .containsExactlyElementsOf(expected);
        assertThat(corpus.pretrainingExamples(5)).hasSize(5 * (2 + train.get(0).captions().reference().size()));
    }

    @Test
    void fineTuningBatchesAreHalfShortHalfLongFromTheHumanSplitOnly() {
        HumanCaptionMix mix = corpus.fineTuning(3, true);
        Set<String> shorts = new HashSet<>();
        Set<String> longs = new HashSet<>();
        for (CorpusEntry entry : corpus.entries(Split.HUMAN)) {
            shorts.add(entry.captions().shortCaption());
            longs.add(entry.captions().longCaption());
        }
        Set<String> seenShort = new HashSet<>();
        int shortCount = 0;
        int total = 0;
        for (int step = 0; step < 10; step++) {
            List<CaptionExample> batch = mix.nextBatch(step % 2 == 0 ? 8 : 7);
            for (CaptionExample example : batch) {
                total++;
                assertThat(example.image().getWidth()).isEqualTo(32);
                if (example.style().equals(CaptionerCorpus.SHORT)) {
                    shortCount++;
                    assertThat(shorts).contains(example.caption());
                    seenShort.add(example.caption());
                } else {
                    assertThat(example.style()).isEqualTo(CaptionerCorpus.LONG);
                    assertThat(longs).contains(example.caption());
                }
            }
            long batchShorts = batch.stream().filter(e -> e.style().equals(CaptionerCorpus.SHORT)).count();
            assertThat(Math.abs(2 * batchShorts - batch.size())).isLessThanOrEqualTo(1);
        }
        assertThat(Math.abs(2 * shortCount - total)).isLessThanOrEqualTo(1);
        // Many copies: every human image comes round again.
        assertThat(seenShort).hasSize(shorts.size());
    }

    @Test
    void rehearsalTakesItsShareOfEachBatchFromThePretrainingCaptionsAndTheRestFromTheHumanMix() {
        Set<String> pretraining = new HashSet<>();
        corpus.pretrainingExamples(32).forEach(example -> pretraining.add(example.style() + ":" + example.caption()));
        RehearsalMix mix = new RehearsalMix(corpus.fineTuning(3, true), corpus.pretraining(32, 3), 0.25f);
        for (int step = 0; step < 5; step++) {
            List<CaptionExample> batch = mix.nextBatch(16);
            assertThat(batch).hasSize(16);
            List<CaptionExample> human = batch.stream()
                    .filter(e -> e.style().equals(CaptionerCorpus.SHORT) || e.style().equals(CaptionerCorpus.LONG))
                    .toList();
            assertThat(human).hasSize(12);
            assertThat(human.stream().filter(e -> e.style().equals(CaptionerCorpus.SHORT))).hasSize(6);
            batch.stream().filter(e -> !human.contains(e)).forEach(e -> {
                assertThat(e.style()).isIn(CaptionerCorpus.TERSE, CaptionerCorpus.REFERENCE, CaptionerCorpus.GROUNDED);
                assertThat(pretraining).contains(e.style() + ":" + e.caption());
            });
        }
        // A batch always keeps at least one human example, however large the share.
        assertThat(new RehearsalMix(corpus.fineTuning(3, true), corpus.pretraining(32, 3), 0.99f).rehearsed(4))
                .isEqualTo(3);
    }

    @Test
    void rerenderedCopiesVaryButTheCorpusCopyDoesNot() {
        HumanCaptionMix rerendered = corpus.fineTuning(3, true);
        HumanCaptionMix same = corpus.fineTuning(3, false);
        CorpusEntry first = corpus.entries(Split.HUMAN).get(0);
        int differing = 0;
        int identical = 0;
        for (int step = 0; step < 12; step++) {
            for (CaptionExample example : rerendered.nextBatch(2)) {
                if (example.caption().equals(first.captions().shortCaption())) {
                    differing += pixelsEqual(example, corpus.image(first)) ? 0 : 1;
                }
            }
            for (CaptionExample example : same.nextBatch(2)) {
                if (example.caption().equals(first.captions().shortCaption())) {
                    identical += pixelsEqual(example, corpus.image(first)) ? 1 : 0;
                }
            }
        }
        assertThat(differing).isPositive();
        assertThat(identical).isPositive();
    }

    @Test
    void evaluationScenesAreTheEvalSplit() {
        List<EvaluationScene> eval = corpus.evaluation(100);
        assertThat(eval).hasSize(8);
        assertThat(eval).allSatisfy(scene -> assertThat(scene.entry().split()).isEqualTo(Split.EVAL));
    }

    private static boolean pixelsEqual(CaptionExample example, java.awt.image.BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (example.image().getRGB(x, y) != image.getRGB(x, y)) {
                    return false;
                }
            }
        }
        return true;
    }
}
