package io.recap.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContrastiveModelTest {

    private static final int COLOURS = 4;
    private static final ContrastiveModel.Config CONFIG = ContrastiveModel.Config.withClipContext(32, 32, 1, 2);

    @Test
    void scoresMatchingCaptionsAboveMismatchedOnesAndReloadsToTheSameScores(@TempDir Path directory)
            throws Exception {
        List<BufferedImage> training = ColourImages.images(64, COLOURS, 1);
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < training.size(); i++) {
            captions.add(captions(ColourImages.colour(i, COLOURS)));
        }
        List<BufferedImage> heldOut = ColourImages.images(16, COLOURS, 2);
        List<String> matching = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (int i = 0; i < heldOut.size(); i++) {
            matching.add("a " + ColourImages.colour(i, COLOURS) + " picture");
            mismatched.add("a " + ColourImages.colour(i + 1, COLOURS) + " picture");
        }
        try (ContrastiveModel model = ContrastiveModel.create(CONFIG,
                captions.stream().flatMap(List::stream).toList(), 3)) {
            TrainingReport report = model.train(training, captions, 60, 8, 3e-3f, 4, progress -> { });

            assertThat(report.finalLoss(0.1)).isLessThan(report.initialLoss(0.1));
            double[] right = model.scores(heldOut, matching);
            double[] wrong = model.scores(heldOut, mismatched);
            for (int i = 0; i < right.length; i++) {
                assertThat(right[i]).as("image %d", i).isGreaterThan(wrong[i]).isBetween(0.0, 100.0);
            }
            float[][] embeddings = model.textEmbeddings(matching);
            assertThat(norm(embeddings[0])).isCloseTo(1.0, within(1e-3));
            // Four colours per block of 16: the best a colour-only caption can do is pick its colour.
            assertThat(model.retrievalAccuracy(heldOut, matching)).isGreaterThan(1f / 16);

            model.save(directory);
            try (ContrastiveModel loaded = ContrastiveModel.load(directory)) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.vocabulary()).isEqualTo(model.vocabulary());
                assertThat(loaded.scores(heldOut, matching)).isEqualTo(right);
            }
        }
    }

    @Test
    void refusesTextsThatDoNotMatchTheImages() {
        try (ContrastiveModel model = ContrastiveModel.create(CONFIG, captions("red"), 3)) {
            assertThatThrownBy(() -> model.scores(ColourImages.images(3, COLOURS, 1), List.of("red")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one text per image");
        }
        assertThatThrownBy(() -> ContrastiveModel.Config.withClipContext(32, 30, 1, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must divide the width");
    }

    private static List<String> captions(String colour) {
        return List.of("a " + colour + " picture", "something " + colour, "a " + colour + " image");
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
