package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DiffusionTrainingPresetTest {

    @Test
    void aConstantForegroundWeightIsTheSameAtEveryStep() {
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(1200).withForegroundWeight(10f);
        assertThat(preset.finalForegroundWeight()).isEqualTo(10f);
        assertThat(preset.foregroundWeightAt(1)).isEqualTo(10f);
        assertThat(preset.foregroundWeightAt(1200)).isEqualTo(10f);
    }

    @Test
    void aScheduledForegroundWeightFallsAlongAHalfCosineFromTheFirstStepToTheLast() {
        DiffusionTrainingPreset preset = DiffusionTrainingPreset.small().withSteps(1201).withForegroundWeight(10f, 1f);
        assertThat(preset.foregroundWeightAt(1)).isEqualTo(10f);
        assertThat(preset.foregroundWeightAt(601)).isCloseTo(5.5f, within(1e-4f));
        assertThat(preset.foregroundWeightAt(1201)).isCloseTo(1f, within(1e-6f));
        float previous = Float.MAX_VALUE;
        for (int step = 1; step <= 1201; step += 50) {
            float weight = preset.foregroundWeightAt(step);
            assertThat(weight).isLessThanOrEqualTo(previous);
            previous = weight;
        }
        assertThat(preset.describe()).containsEntry("foregroundWeight", 10f).containsEntry("finalForegroundWeight", 1f);
    }

    @Test
    void aFinalForegroundWeightBelowOneIsRefused() {
        assertThatThrownBy(() -> DiffusionTrainingPreset.small().withForegroundWeight(10f, 0.5f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
