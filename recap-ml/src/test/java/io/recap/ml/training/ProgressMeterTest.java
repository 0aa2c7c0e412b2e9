package io.recap.ml.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressMeterTest {

    @Test
    void reportsEveryFewStepsAndAtTheEnd(@TempDir Path directory) throws Exception {
        List<TrainingProgress> reports = new ArrayList<>();
        ProgressMeter meter = new ProgressMeter("test", 7, 3, reports::add);
        for (int i = 0; i < 7; i++) {
            meter.record(new StepOutcome(7 - i, 1f, i != 4), 0.01f);
        }

        assertThat(reports).extracting(TrainingProgress::step).containsExactly(3, 6, 7);
        assertThat(reports.get(0).loss()).isEqualTo(6f);
        assertThat(reports.get(2).finished()).isTrue();
        assertThat(meter.skippedSteps()).isEqualTo(1);
        assertThat(meter.losses()).hasSize(7);

        Path png = directory.resolve("curve.png");
        LossCurvePlot.write(meter.losses(), "test", png);
        assertThat(ImageIO.read(png.toFile()).getHeight()).isPositive();
    }
}
