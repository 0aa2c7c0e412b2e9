package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.domain.CaptionMix;
import io.recap.ml.training.TrainingReport;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model really learns, fast: on a world of single-colour pictures, a short smoke run makes
 * the loss fall and the samples take the colour the prompt names.
 */
class DiffusionLearningTest {

    @Test
    void smokeRunLearnsTheColourThePromptNames(@TempDir Path directory) {
        List<DiffusionExample> examples = DiffusionTestSupport.colourExamples(64, 2);
        // The plain loss: the white square is placed at random and no prompt names it, so weighting
        // it as foreground would only measure how unpredictable it is.
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.smoke().withSteps(150).withSchedule(50, 0, 0)
                .withForegroundWeight(1f);
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 8);
                DiffusionTrainer trainer = DiffusionTrainer.start(model, preset, CaptionMix.LONG_ONLY)
                        .writeLossCurve(directory.resolve("loss.png"))) {
            TrainingReport report = trainer.train(examples);
            System.out.printf("smoke diffusion (%d parameters): %s%n", model.parameterCount(), report);
            assertThat(report.skippedSteps()).isLessThan(5);
            assertThat(report.finalLoss(0.1)).isLessThan(report.initialLoss(0.1) * 0.5f);
            assertThat(Files.exists(directory.resolve("loss.png"))).isTrue();

            List<String> prompts = List.of("a red picture", "a green picture", "a blue picture", "a yellow picture");
            List<BufferedImage> images = trainer.emaModel().sample(prompts, new SamplingOptions(20, 1.5f, 2, 1));
            int right = 0;
            for (int i = 0; i < images.size(); i++) {
                if (DiffusionTestSupport.nearestColour(images.get(i)) == i / 2) {
                    right++;
                }
            }
            System.out.printf("smoke diffusion: %d/%d samples have the prompted colour%n", right, images.size());
            assertThat(right).isGreaterThanOrEqualTo(6);
        }
    }
}
