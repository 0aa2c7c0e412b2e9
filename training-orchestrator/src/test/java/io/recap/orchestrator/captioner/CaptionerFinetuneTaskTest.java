package io.recap.orchestrator.captioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.orchestrator.task.TaskParams;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionerFinetuneTaskTest {

    @Test
    void paramsOverrideStepsAndRehearsalAndKeepTheRestOfThePreset() {
        CaptionerPipelinePreset small = CaptionerPipelinePreset.byName("small");

        CaptionerPipelinePreset preset = CaptionerFinetuneTask.preset("small",
                new TaskParams(Map.of("pretrainSteps", "20", "fineTuneSteps", "10", "rehearsal", "0.25")));

        assertThat(preset.pretraining().steps()).isEqualTo(20);
        assertThat(preset.fineTuning().steps()).isEqualTo(10);
        assertThat(preset.rehearsal()).isEqualTo(0.25f);
        assertThat(preset.fineTuning().learningRate()).isEqualTo(small.fineTuning().learningRate());
        assertThat(preset.captioner()).isEqualTo(small.captioner());
    }

    @Test
    void withoutParamsThePresetStandsAsNamed() {
        CaptionerPipelinePreset small = CaptionerPipelinePreset.byName("small");

        CaptionerPipelinePreset preset = CaptionerFinetuneTask.preset("small", new TaskParams(Map.of()));

        assertThat(preset.rehearsal()).isEqualTo(small.rehearsal());
        assertThat(preset.fineTuning().steps()).isEqualTo(small.fineTuning().steps());
    }

    @Test
    void aRehearsalShareOutsideItsRangeNamesTheParam() {
        assertThatThrownBy(() -> CaptionerFinetuneTask.preset("small", new TaskParams(Map.of("rehearsal", "1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rehearsal");
    }
}
