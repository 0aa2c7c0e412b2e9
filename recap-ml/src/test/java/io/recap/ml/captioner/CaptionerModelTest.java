package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Untrained-model behaviour: shapes, limits, batching and memory. */
class CaptionerModelTest {

    private final Vocabulary vocabulary = Vocabulary.build(SyntheticShapes.allCaptions(),
            List.of(SyntheticShapes.SHORT, SyntheticShapes.LONG), 1);
    private final SyntheticShapes world = new SyntheticShapes(32, 5);

    @Test
    void teacherForcingShiftsTargetsAndHidesPromptAndPadding() {
        CaptionTokenizer tokenizer = new CaptionTokenizer(vocabulary);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<CaptionExample> examples = List.of(
                    new CaptionExample(world.render(world.randomScene()), "short", "red square top left"),
                    new CaptionExample(world.render(world.randomScene()), "long", "a red square in the top left corner."));

            TeacherForcingBatch batch = TeacherForcingBatch.of(manager, examples, tokenizer, 32);

            assertThat(batch.images().getShape()).isEqualTo(new Shape(2, 3, 32, 32));
            assertThat(batch.inputs().getShape()).isEqualTo(new Shape(2, 11));
            long[] inputs = batch.inputs().toLongArray();
            long[] targets = batch.targets().toLongArray();
            assertThat(Arrays.copyOfRange(inputs, 0, 6)).containsExactly(Vocabulary.BOS_ID,
                    vocabulary.styleId("short"), vocabulary.id("red"), vocabulary.id("square"), vocabulary.id("top"),
                    vocabulary.id("left"));
            assertThat(Arrays.copyOfRange(targets, 0, 6)).containsExactly(Vocabulary.PAD_ID,
                    vocabulary.id("red"), vocabulary.id("square"), vocabulary.id("top"), vocabulary.id("left"),
                    Vocabulary.EOS_ID);
            assertThat(targets[10]).isEqualTo(Vocabulary.PAD_ID);
            assertThat(targets[11]).as("style position of the second row").isEqualTo(Vocabulary.PAD_ID);
            assertThat(targets[21]).isEqualTo(Vocabulary.EOS_ID);
        }
    }

    @Test
    void untrainedModelStillDecodesWithinTheContextAndWithoutLeaks() {
        try (CaptionerModel captioner = CaptionerModel.create(CaptionerConfig.smoke(), vocabulary, 3)) {
            List<BufferedImage> images = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                images.add(world.render(world.randomScene()));
            }
            int arrays = captioner.getModel().getNDManager().getManagedArrays().size();

            List<GeneratedCaption> captions = captioner.caption(images, "long", new DecodingOptions(2, 12, 1f));

            assertThat(captions).hasSize(3).allSatisfy(caption -> {
                assertThat(caption.tokens().length).isBetween(1, 10);
                assertThat(caption.tokens()[caption.tokens().length - 1]).isEqualTo(Vocabulary.EOS_ID);
                assertThat(caption.text()).doesNotContain("<");
            });
            assertThat(captioner.getModel().getNDManager().getManagedArrays()).hasSize(arrays);
            assertThat(captioner.caption(List.of(), "long", DecodingOptions.greedy())).isEmpty();
            assertThatThrownBy(() -> captioner.greedy(images, "poetic")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void slicesDecodedAtOnceGiveTheCaptionsOfOnePassEachReportedByItsOwnThread() {
        ExecutorService others = Executors.newFixedThreadPool(2);
        try (CaptionerModel captioner = CaptionerModel.create(CaptionerConfig.smoke(), vocabulary, 3)) {
            List<BufferedImage> images = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                images.add(world.render(world.randomScene()));
            }
            DecodingOptions options = new DecodingOptions(1, 12, 1f);
            List<String> onePass = captioner.caption(images, "short", options).stream().map(GeneratedCaption::text).toList();
            String[] sliced = new String[images.size()];
            Map<Integer, String> threadOfSlice = new ConcurrentHashMap<>();

            captioner.captionInSlices(images, "short", options, 3, others, (from, captions) -> {
                threadOfSlice.put(from, Thread.currentThread().getName());
                for (int i = 0; i < captions.size(); i++) {
                    sliced[from + i] = captions.get(i).text();
                }
            });

            assertThat(sliced).containsExactlyElementsOf(onePass);
            assertThat(threadOfSlice).containsOnlyKeys(0, 3, 6);
            assertThat(threadOfSlice.get(0)).isEqualTo(Thread.currentThread().getName());
            assertThat(new HashSet<>(threadOfSlice.values())).as("three threads").hasSize(3);

            List<Integer> reported = new ArrayList<>();
            assertThatThrownBy(() -> captioner.captionInSlices(images, "poetic", options, 3, others,
                    (from, captions) -> reported.add(from))).isInstanceOf(IllegalArgumentException.class);
            assertThat(reported).isEmpty();
        } finally {
            others.shutdown();
        }
    }

    @Test
    void repeatedTrainingRunsDoNotAccumulateArrays() {
        try (CaptionerModel captioner = CaptionerModel.create(CaptionerConfig.smoke(), vocabulary, 3)) {
            CaptionerTrainingPreset preset = CaptionerTrainingPreset.smoke().withSteps(3);
            new CaptionerTrainer(captioner, preset).train(world.batches());
            int parameters = captioner.getBlock().getParameters().size();
            assertThat(captioner.getModel().getNDManager().getManagedArrays()).hasSize(parameters);

            new CaptionerTrainer(captioner, preset.withSteps(6)).train(world.batches());

            assertThat(captioner.getModel().getNDManager().getManagedArrays()).hasSize(parameters);
        }
    }

    @Test
    void presetsCarryThePaperHyperParameters() {
        CaptionerTrainingPreset paper = CaptionerTrainingPreset.byName("paper");
        assertThat(paper.steps()).isEqualTo(300);
        assertThat(paper.learningRate()).isEqualTo(4e-5f);
        assertThat(paper.batchSize()).isEqualTo(64);
        assertThat(paper.dropout()).isEqualTo(0.1f);
        assertThat(CaptionerConfig.defaults().imageSize()).isEqualTo(64);
        assertThat(CaptionerConfig.defaults().maxTokens()).isEqualTo(77);
    }
}
