package io.recap.experiments.captioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.experiments.CommandRun;
import io.recap.shapesml.captioner.pipeline.CaptionerPipelinePreset;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    @Test
    void helpPrintsEachProgramsUsageAndExitsZero() {
        CommandRun experiment = CommandRun.of(CaptionerExperiment.commandLine(), "--help");
        assertThat(experiment.status()).isZero();
        assertThat(experiment.out()).contains("Usage: CaptionerExperiment", "--preset=smoke|small|paper",
                "--pretrain-scenes=N", "--finetune-style-init=STYLE[,STYLE]", "--long-length-penalty=ALPHA");
        CommandRun benchmark = CommandRun.of(CaptionerBenchmark.commandLine(), "--help");
        assertThat(benchmark.status()).isZero();
        assertThat(benchmark.out()).contains("Usage: CaptionerBenchmark", "--batches=N[,N...]", "--slices=N");
    }

    @Test
    void aBadOptionExitsWithStatus2AndAMessage() {
        CommandRun experiment = CommandRun.of(CaptionerExperiment.commandLine(), "--pretrainScenes", "5000");
        assertThat(experiment.status()).isEqualTo(2);
        assertThat(experiment.err()).contains("Unknown options: '--pretrainScenes', '5000'");
        CommandRun preset = CommandRun.of(CaptionerExperiment.commandLine(), "--preset", "huge");
        assertThat(preset.status()).isEqualTo(2);
        assertThat(preset.err()).contains("huge");
        CommandRun benchmark = CommandRun.of(CaptionerBenchmark.commandLine(), "--batches", "1,eight");
        assertThat(benchmark.status()).isEqualTo(2);
        assertThat(benchmark.err()).contains("Invalid value for option '--batches'");
    }

    @Test
    void theExperimentsOverridesChangeOnlyWhatTheyName() {
        CaptionerExperiment defaults = (CaptionerExperiment) CaptionerExperiment.commandLine().parseArgs()
                .commandSpec().userObject();
        CaptionerPipelinePreset small = CaptionerPipelinePreset.byName("small");
        CaptionerPipelinePreset configured = defaults.configure();
        assertThat(configured.name()).isEqualTo(small.name());
        assertThat(configured.pretrainScenes()).isEqualTo(small.pretrainScenes());
        assertThat(configured.evalScenes()).isEqualTo(small.evalScenes());
        assertThat(configured.fineTuning().steps()).isEqualTo(small.fineTuning().steps());
        assertThat(configured.longDecoding()).isEqualTo(small.longDecoding());

        CaptionerExperiment given = (CaptionerExperiment) CaptionerExperiment.commandLine().parseArgs(
                "--pretrain-scenes", "5000", "--finetune-steps", "300", "--finetune-lr", "2e-4", "--long-beam", "5",
                "--eval", "50", "--rerender", "false").commandSpec().userObject();
        CaptionerPipelinePreset overridden = given.configure();
        assertThat(overridden.pretrainScenes()).isEqualTo(5000);
        assertThat(overridden.evalScenes()).isEqualTo(50);
        assertThat(overridden.rerender()).isFalse();
        assertThat(overridden.fineTuning().steps()).isEqualTo(300);
        assertThat(overridden.fineTuning().learningRate()).isEqualTo(2e-4f);
        assertThat(overridden.fineTuning().batchSize()).isEqualTo(small.fineTuning().batchSize());
        assertThat(overridden.longDecoding().beamSize()).isEqualTo(5);
        assertThat(overridden.pretraining().steps()).isEqualTo(small.pretraining().steps());
    }
}
