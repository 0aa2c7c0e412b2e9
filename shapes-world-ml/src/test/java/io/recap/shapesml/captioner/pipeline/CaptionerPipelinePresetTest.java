package io.recap.shapesml.captioner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.shapesml.captioner.data.CaptionerCorpus;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionerPipelinePresetTest {

    @Test
    void oneStyleStartsBothTokensAndTwoStartShortThenLong() {
        CaptionerPipelinePreset preset = CaptionerPipelinePreset.small().withFineTuningStart(List.of(), "reference");
        assertThat(preset.shortTokenFrom()).isEqualTo(CaptionerCorpus.REFERENCE);
        assertThat(preset.longTokenFrom()).isEqualTo(CaptionerCorpus.REFERENCE);

        CaptionerPipelinePreset split = preset.withFineTuningStart(List.of(), "reference, grounded");
        assertThat(split.shortTokenFrom()).isEqualTo(CaptionerCorpus.REFERENCE);
        assertThat(split.longTokenFrom()).isEqualTo(CaptionerCorpus.GROUNDED);

        assertThat(CaptionerPipelinePreset.small().longTokenFrom()).isEqualTo(CaptionerCorpus.GROUNDED);

        CaptionerPipelinePreset none = preset.withFineTuningStart(List.of(), "");
        assertThat(none.shortTokenFrom()).isEmpty();
        assertThat(none.longTokenFrom()).isEmpty();
    }
}
