package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.training.TrainingReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contrastive objective learns, and what it learned starts the diffusion model's text encoder. */
class ContrastiveTextPretrainingTest {

    @Test
    void captionsLearnToPickTheirImagesAndTheWeightsMoveIntoTheDiffusionTextEncoder() {
        List<DiffusionExample> examples = DiffusionTestSupport.colourExamples(64, 3);
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5)) {
            List<float[]> before = textEncoderWeights(model);
            float[] unetBefore = model.getBlock().getParameters().get(before.size()).getValue().getArray().toFloatArray();

            TrainingReport report = ContrastiveTextPretraining.pretrainTextEncoder(model, examples,
                    new ContrastiveTextPretraining.Settings(80, 8, 3e-3f, CaptionMix.LONG_ONLY, 1), progress -> { });

            // Batches of 8 over 4 colours: chance is ln 8 = 2.08; knowing the colour leaves about ln 2 = 0.69.
            float[] losses = report.losses();
            assertThat(mean(losses, 0, 5)).isGreaterThan(1.8f);
            assertThat(mean(losses, losses.length - 10, losses.length)).isLessThan(1.2f);
            List<float[]> after = textEncoderWeights(model);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("text encoder parameter %d", i).isNotEqualTo(before.get(i));
            }
            assertThat(model.getBlock().getParameters().get(before.size()).getValue().getArray().toFloatArray())
                    .as("the UNet is left alone").isEqualTo(unetBefore);
        }
    }

    @Test
    void batchesNeedAsManyDistinctImages() {
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 5)) {
            assertThatThrownBy(() -> ContrastiveTextPretraining.pretrainTextEncoder(model,
                    DiffusionTestSupport.colourExamples(4, 3),
                    new ContrastiveTextPretraining.Settings(1, 8, 1e-3f, CaptionMix.LONG_ONLY, 1), progress -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need as many examples");
        }
    }

    private static List<float[]> textEncoderWeights(DiffusionModel model) {
        List<float[]> weights = new ArrayList<>();
        for (Pair<String, Parameter> parameter : model.getBlock().textEncoder().getParameters()) {
            weights.add(parameter.getValue().getArray().toFloatArray());
        }
        return weights;
    }

    private static float mean(float[] values, int from, int to) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
        return sum / (to - from);
    }
}
