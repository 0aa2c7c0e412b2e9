package io.recap.ml.captioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.text.Vocabulary;
import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captioner really learns: trained with the smoke preset on synthetic renders, it
 * reproduces exact captions of held-out renders in both styles. Trains once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptionerLearningTest {

    private static final int HELD_OUT = 64;

    @TempDir
    static Path directory;

    private CaptionerModel captioner;
    private TrainingReport report;
    private Path lossCurve;
    private final List<BufferedImage> images = new ArrayList<>();
    private final List<SyntheticShapes.Scene> scenes = new ArrayList<>();

    @BeforeAll
    void train() {
        Vocabulary vocabulary = Vocabulary.build(SyntheticShapes.allCaptions(),
                List.of(SyntheticShapes.SHORT, SyntheticShapes.LONG, "terse"), 1);
        captioner = CaptionerModel.create(CaptionerConfig.smoke(), vocabulary, 11);
        lossCurve = directory.resolve("loss.png");
        report = new CaptionerTrainer(captioner, CaptionerTrainingPreset.smoke())
                .writeLossCurve(lossCurve)
                .train(new SyntheticShapes(32, 1).batches());
        System.out.printf("smoke captioner (%d parameters): %s%n", captioner.parameterCount(), report);

        SyntheticShapes heldOut = new SyntheticShapes(32, 99);
        for (int i = 0; i < HELD_OUT; i++) {
            scenes.add(heldOut.randomScene());
            images.add(heldOut.render(scenes.get(i)));
        }
    }

    @AfterAll
    void close() {
        captioner.close();
    }

    @Test
    void lossFallsMaterially() {
        assertThat(report.skippedSteps()).isLessThan(5);
        assertThat(report.finalLoss(0.05)).isLessThan(report.initialLoss(0.05) * 0.1f);
    }

    @Test
    void greedyDecodingReproducesHeldOutCaptionsInBothStyles() {
        for (String style : List.of(SyntheticShapes.SHORT, SyntheticShapes.LONG)) {
            long start = System.nanoTime();
            List<String> captions = captioner.greedy(images, style);
            double accuracy = accuracy(captions, style);
            System.out.printf("greedy %s: %.1f%% exact in %d ms, e.g. '%s'%n", style, accuracy * 100,
                    (System.nanoTime() - start) / 1_000_000, captions.get(0));
            assertThat(accuracy).as(style + " exact-match accuracy").isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void beamDecodingIsAtLeastAsGoodAsGreedy() {
        for (String style : List.of(SyntheticShapes.SHORT, SyntheticShapes.LONG)) {
            List<GeneratedCaption> greedy = captioner.caption(images, style, DecodingOptions.greedy());
            List<GeneratedCaption> beam = captioner.caption(images, style, DecodingOptions.beam(3));
            double greedyAccuracy = accuracy(greedy.stream().map(GeneratedCaption::text).toList(), style);
            double beamAccuracy = accuracy(beam.stream().map(GeneratedCaption::text).toList(), style);
            System.out.printf("beam %s: %.1f%% exact (greedy %.1f%%)%n", style, beamAccuracy * 100,
                    greedyAccuracy * 100);
            assertThat(beamAccuracy).isGreaterThanOrEqualTo(Math.min(0.9, greedyAccuracy));
            double greedyScore = greedy.stream().mapToDouble(GeneratedCaption::score).average().orElseThrow();
            double beamScore = beam.stream().mapToDouble(GeneratedCaption::score).average().orElseThrow();
            assertThat(beamScore).isGreaterThanOrEqualTo(greedyScore - 1e-4);
        }
    }

    @Test
    void batchedDecodingMatchesOneImageAtATime() {
        List<BufferedImage> few = images.subList(0, 4);
        List<String> batched = captioner.beam(few, SyntheticShapes.LONG, 2);
        for (int i = 0; i < few.size(); i++) {
            assertThat(captioner.beam(List.of(few.get(i)), SyntheticShapes.LONG, 2)).containsExactly(batched.get(i));
        }
    }

    @Test
    void savedAndLoadedCaptionerDecodesIdentically() throws Exception {
        Path saved = directory.resolve("captioner-v1");
        captioner.save(saved);
        List<GeneratedCaption> before = captioner.caption(images.subList(0, 8), SyntheticShapes.SHORT,
                DecodingOptions.beam(2));

        try (CaptionerModel loaded = CaptionerModel.load(saved)) {
            List<GeneratedCaption> after = loaded.caption(images.subList(0, 8), SyntheticShapes.SHORT,
                    DecodingOptions.beam(2));
            assertThat(loaded.getConfig()).isEqualTo(captioner.getConfig());
            assertThat(loaded.getVocabulary()).isEqualTo(captioner.getVocabulary());
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i).text()).isEqualTo(before.get(i).text());
                assertThat(after.get(i).score()).isCloseTo(before.get(i).score(),
                        org.assertj.core.api.Assertions.within(1e-5f));
            }
        }
        assertThat(Files.list(saved).map(p -> p.getFileName().toString()))
                .contains(CaptionerModel.CONFIG_FILE, Vocabulary.FILE_NAME, "captioner-0000.params");
    }

    @Test
    void decodingLeavesNoArraysBehind() {
        int before = captioner.getModel().getNDManager().getManagedArrays().size();
        for (int i = 0; i < 3; i++) {
            captioner.beam(images.subList(0, 8), SyntheticShapes.SHORT, 3);
        }
        assertThat(captioner.getModel().getNDManager().getManagedArrays()).hasSize(before);
    }

    @Test
    void writesTheLossCurve() throws Exception {
        BufferedImage plot = ImageIO.read(lossCurve.toFile());
        assertThat(plot.getWidth()).isGreaterThan(100);
    }

    private double accuracy(List<String> captions, String style) {
        int correct = 0;
        for (int i = 0; i < captions.size(); i++) {
            if (captions.get(i).equals(scenes.get(i).caption(style))) {
                correct++;
            }
        }
        return (double) correct / captions.size();
    }
}
