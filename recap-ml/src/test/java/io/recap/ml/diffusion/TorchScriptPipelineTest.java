package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.ml.torchscript.TorchScriptFixtures;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchScriptPipelineTest {

    @Test
    void anImportedStableDiffusionShapedPipelineDrawsTheSameImagesForTheSameSeedWhateverShareTheirBatch()
            throws Exception {
        try (TorchScriptPipeline pipeline = TorchScriptPipeline.load(
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION))) {
            List<BufferedImage> pair = pipeline.sample(List.of("a red circle", "two blue squares"),
                    new SamplingOptions(4, 3f, 2, 7L));
            List<BufferedImage> again = pipeline.sample(List.of("a red circle", "two blue squares"),
                    new SamplingOptions(4, 3f, 2, 7L));
            List<BufferedImage> otherSeed = pipeline.sample(List.of("a red circle"), new SamplingOptions(4, 3f, 2, 8L));

            assertThat(pair).hasSize(4).allSatisfy(image -> {
                assertThat(image.getWidth()).isEqualTo(64);
                assertThat(image.getHeight()).isEqualTo(64);
            });
            assertThat(pipeline.imageSize()).isEqualTo(64);
            for (int i = 0; i < pair.size(); i++) {
                assertThat(pixels(again.get(i))).isEqualTo(pixels(pair.get(i)));
            }
            assertThat(pixels(otherSeed.get(0))).isNotEqualTo(pixels(pair.get(0)));
            // Images of one call start from different noise.
            assertThat(pixels(pair.get(1))).isNotEqualTo(pixels(pair.get(0)));
        }
    }

    @Test
    void theGuidedAndUnguidedPathsBothSampleAndGuidanceChangesTheImage() throws Exception {
        try (TorchScriptPipeline pipeline = TorchScriptPipeline.load(
                TorchScriptFixtures.folder(TorchScriptFixtures.STABLE_DIFFUSION))) {
            BufferedImage plain = pipeline.sample(List.of("a red circle"), new SamplingOptions(3, 1f, 1, 5L)).get(0);
            BufferedImage guided = pipeline.sample(List.of("a red circle"), new SamplingOptions(3, 5f, 1, 5L)).get(0);

            assertThat(pixels(guided)).isNotEqualTo(pixels(plain));
        }
    }

    @Test
    void theScaledLinearScheduleMatchesStableDiffusionsEndpoints() {
        NoiseSchedule schedule = NoiseSchedule.ofBetas(1000, 0.00085, 0.012, true);

        // diffusers' DDPMScheduler(beta_schedule="scaled_linear"): alphas_cumprod[0] = 1 - 0.00085, [999] ~ 0.0047.
        assertThat(schedule.alphaBar(0)).isCloseTo(0.99915, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(schedule.alphaBar(999)).isCloseTo(0.0047, org.assertj.core.data.Offset.offset(2e-4));
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
