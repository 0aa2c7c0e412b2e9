package io.recap.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KernelDistanceTest {

    @Test
    void twoSamplesOfOneDistributionAreAboutZeroApart() {
        float[][] a = FrechetDistanceTest.gaussian(400, 16, 0f, 1);
        float[][] b = FrechetDistanceTest.gaussian(400, 16, 0f, 2);

        KernelDistance.Result result = KernelDistance.of(a, b, 20, 200, 7);

        assertThat(Math.abs(result.mean())).isLessThan(0.02);
    }

    @Test
    void aShiftedDistributionIsFarApart() {
        float[][] a = FrechetDistanceTest.gaussian(400, 16, 0f, 1);
        float[][] same = FrechetDistanceTest.gaussian(400, 16, 0f, 2);
        float[][] shifted = FrechetDistanceTest.gaussian(400, 16, 0.5f, 3);

        KernelDistance.Result near = KernelDistance.of(a, same, 20, 200, 7);
        KernelDistance.Result far = KernelDistance.of(a, shifted, 20, 200, 7);

        assertThat(far.mean()).isGreaterThan(0.5).isGreaterThan(near.mean() + 5 * far.std());
    }

    @Test
    void matchesTheUnbiasedEstimateWorkedByHand() {
        // d = 1, k(x, y) = (xy + 1)^3: within-set pairs all give 1; across, k(1, 2) = 27 and the rest 1.
        // (2 + 2) / (2 * 1) - 2 * (1 + 1 + 1 + 27) / 4 = 2 - 15.
        float[][] a = {{0}, {1}};
        float[][] b = {{0}, {2}};

        KernelDistance.Result result = KernelDistance.of(a, b, 5, 100, 3);

        assertThat(result.mean()).isCloseTo(-13, within(1e-12));
        assertThat(result.std()).isCloseTo(0, within(1e-12));
    }

    @Test
    void theEstimateOnWholeSetsDoesNotDependOnHowOftenItIsDrawn() {
        // Subsets as large as the sets are the sets themselves: one draw computes its kernel values
        // directly, many draws read them from tables computed once.
        float[][] a = FrechetDistanceTest.gaussian(40, 8, 0f, 1);
        float[][] b = FrechetDistanceTest.gaussian(40, 8, 0.3f, 2);

        KernelDistance.Result once = KernelDistance.of(a, b, 1, 40, 5);
        KernelDistance.Result often = KernelDistance.of(a, b, 10, 40, 6);

        assertThat(often.mean()).isCloseTo(once.mean(), within(1e-6 * Math.abs(once.mean())));
        assertThat(often.std()).isCloseTo(0, within(1e-9));
    }

    @Test
    void isDeterministicForASeed() {
        float[][] a = FrechetDistanceTest.gaussian(100, 8, 0f, 1);
        float[][] b = FrechetDistanceTest.gaussian(100, 8, 0.2f, 2);

        assertThat(KernelDistance.of(a, b, 10, 50, 9)).isEqualTo(KernelDistance.of(a, b, 10, 50, 9));
    }

    @Test
    void refusesSubsetsTooSmallToEstimate() {
        float[][] a = FrechetDistanceTest.gaussian(10, 4, 0f, 1);

        assertThatThrownBy(() -> KernelDistance.of(a, a, 10, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 rows");
    }
}
