package io.recap.ml.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    @Test
    void theIntervalOfAMeanContainsItAndNarrowsWithMoreData() {
        Bootstrap.Interval few = Bootstrap.mean(successes(50, 0.6, 1), 2000, 3);
        Bootstrap.Interval many = Bootstrap.mean(successes(2000, 0.6, 2), 2000, 3);

        assertThat(few.low()).isLessThan(few.estimate());
        assertThat(few.high()).isGreaterThan(few.estimate());
        assertThat(many.low()).isLessThan(many.estimate()).isLessThan(0.6);
        assertThat(many.high()).isGreaterThan(many.estimate()).isGreaterThan(0.6);
        assertThat(many.high() - many.low()).isLessThan((few.high() - few.low()) / 4);
    }

    @Test
    void isDeterministicForASeed() {
        double[] values = successes(100, 0.3, 4);

        assertThat(Bootstrap.mean(values, 500, 8)).isEqualTo(Bootstrap.mean(values, 500, 8));
    }

    @Test
    void identicalOutcomesDifferByExactlyNothing() {
        double[] outcomes = successes(80, 0.5, 5);

        assertThat(Bootstrap.pairedDifference(outcomes, outcomes.clone(), 1000, 1))
                .isEqualTo(new Bootstrap.Interval(0, 0, 0));
    }

    @Test
    void pairingRemovesThePromptDifficultyTheModelsShare() {
        // Both models face the same hard and easy prompts; one is better by 0.05 on every prompt.
        Random random = new Random(6);
        double[] a = new double[200];
        double[] b = new double[200];
        for (int i = 0; i < a.length; i++) {
            double difficulty = random.nextDouble();
            a[i] = difficulty + 0.05;
            b[i] = difficulty;
        }

        Bootstrap.Interval paired = Bootstrap.pairedDifference(a, b, 1000, 1);

        assertThat(paired.estimate()).isCloseTo(0.05, within(1e-12));
        assertThat(paired.low()).isGreaterThan(0.049);
        assertThat(paired.high()).isLessThan(0.051);
    }

    @Test
    void refusesUnpairedOutcomes() {
        assertThatThrownBy(() -> Bootstrap.pairedDifference(new double[3], new double[4], 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one value per prompt");
        assertThatThrownBy(() -> Bootstrap.mean(new double[0], 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one value");
    }

    private static double[] successes(int count, double rate, long seed) {
        Random random = new Random(seed);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = random.nextDouble() < rate ? 1 : 0;
        }
        return values;
    }
}
