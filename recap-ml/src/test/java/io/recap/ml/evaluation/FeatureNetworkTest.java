package io.recap.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureNetworkTest {

    private static final List<String> LABELS = List.of("red", "blue", "square");

    @Test
    void learnsWhichLabelsAnImageShowsAndReloadsToTheSameFeatures(@TempDir Path directory) throws Exception {
        List<BufferedImage> training = ColourImages.images(64, 2, 1);
        List<BufferedImage> heldOut = ColourImages.images(32, 2, 2);
        try (FeatureNetwork network = FeatureNetwork.create(32, 32, LABELS, 3)) {
            float before = network.labelF1(heldOut, labels(heldOut.size()));

            TrainingReport report = network.train(training, labels(training.size()), 40, 16, 3e-3f, 4, progress -> { });

            assertThat(report.finalLoss(0.1)).isLessThan(report.initialLoss(0.1));
            assertThat(network.labelF1(heldOut, labels(heldOut.size()))).isGreaterThan(0.9f).isGreaterThan(before);
            assertThat(network.predictLabels(heldOut.subList(0, 4))).containsExactly(Set.of("red"), Set.of("blue"),
                    Set.of("red", "square"), Set.of("blue", "square"));
            float[][] features = network.features(heldOut);
            assertThat(features).hasNumberOfRows(heldOut.size());
            assertThat(features[0]).hasSize(32);

            network.save(directory);
            try (FeatureNetwork loaded = FeatureNetwork.load(directory)) {
                assertThat(loaded.config()).isEqualTo(network.config());
                assertThat(loaded.features(heldOut)).isDeepEqualTo(features);
            }
        }
    }

    @Test
    void microF1CountsOnlyTheNetworksLabels() {
        List<Set<String>> predicted = List.of(Set.of("red"), Set.of("blue", "square"));
        List<Set<String>> actual = List.of(Set.of("red", "blue"), Set.of("square", "circle"));

        // True positives red, square; predicted 3; actual 3 of the network's labels ("circle" is not one).
        assertThat(FeatureNetwork.microF1(LABELS, predicted, actual)).isCloseTo(2f * 2 / 6, within(1e-6f));
        assertThat(FeatureNetwork.microF1(LABELS, List.of(Set.of()), List.of(Set.of("circle")))).isEqualTo(1f);
    }

    @Test
    void resizesImagesToItsInputSize() {
        try (FeatureNetwork network = FeatureNetwork.create(16, 8, LABELS, 3)) {
            assertThat(network.features(ColourImages.images(3, 2, 1))).hasNumberOfRows(3);
        }
    }

    @Test
    void refusesLabelSetsThatDoNotMatchTheImages() {
        try (FeatureNetwork network = FeatureNetwork.create(16, 8, LABELS, 3)) {
            assertThatThrownBy(() -> network.labelF1(ColourImages.images(3, 2, 1), labels(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one label set per image");
        }
        assertThatThrownBy(() -> FeatureNetwork.create(32, 8, List.of("red", "red"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct labels");
    }

    /** The colour of each image, and "square" where it has one. */
    private static List<Set<String>> labels(int count) {
        List<Set<String>> labels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String colour = ColourImages.colour(i, 2);
            labels.add(ColourImages.hasSquare(i, 2) ? Set.of(colour, "square") : Set.of(colour));
        }
        return labels;
    }
}
