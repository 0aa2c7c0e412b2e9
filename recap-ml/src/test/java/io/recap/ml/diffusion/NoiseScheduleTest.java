package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    private final NoiseSchedule schedule = new NoiseSchedule(1000);

    @Test
    void alphaBarFallsStrictlyFromAlmostOneToAlmostZero() {
        assertThat(schedule.alphaBar(0)).isGreaterThan(0.999);
        assertThat(schedule.alphaBar(999)).isLessThan(1e-4).isPositive();
        for (int t = 1; t < schedule.steps(); t++) {
            assertThat(schedule.alphaBar(t)).as("alphaBar(%d)", t).isLessThan(schedule.alphaBar(t - 1));
        }
    }

    @Test
    void signalAndNoiseCoefficientsKeepUnitVariance() {
        for (int t : new int[] {0, 250, 500, 999}) {
            double a = schedule.signal(t);
            double s = schedule.noise(t);
            assertThat(a * a + s * s).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // Cosine schedule: half the signal variance is gone about half-way, not in the first tenth.
        assertThat(schedule.alphaBar(500)).isBetween(0.4, 0.6);
    }

    @Test
    void samplingStepsDescendFromTheLastStep() {
        int[] all = schedule.samplingSteps(1000);
        for (int i = 0; i < all.length; i++) {
            assertThat(all[i]).isEqualTo(999 - i);
        }
        int[] few = schedule.samplingSteps(25);
        assertThat(few).hasSize(25);
        assertThat(few[0]).isEqualTo(999);
        assertThat(few[24]).isEqualTo(39);
        for (int i = 1; i < few.length; i++) {
            assertThat(few[i]).isEqualTo(few[i - 1] - 40);
        }
        assertThatThrownBy(() -> schedule.samplingSteps(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schedule.samplingSteps(1001)).isInstanceOf(IllegalArgumentException.class);
    }
}
