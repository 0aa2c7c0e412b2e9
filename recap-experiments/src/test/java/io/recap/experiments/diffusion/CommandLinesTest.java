package io.recap.experiments.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.experiments.CommandRun;
import org.junit.jupiter.api.Test;

class CommandLinesTest {

    @Test
    void helpPrintsEachProgramsUsageAndExitsZero() {
        CommandRun experiment = CommandRun.of(DiffusionExperiment.commandLine(), "--help");
        assertThat(experiment.status()).isZero();
        assertThat(experiment.out()).contains("Usage: DiffusionExperiment", "long", "alt", "sweep", "compare", "all");
        CommandRun sweep = CommandRun.of(DiffusionExperiment.commandLine(), "sweep", "--help");
        assertThat(sweep.status()).isZero();
        assertThat(sweep.out()).contains("Usage: DiffusionExperiment sweep", "--guidance-values=W[,W...]",
                "--work=DIR", "--text-pretrain=N");
        CommandRun probe = CommandRun.of(PositionProbe.commandLine(), "--help");
        assertThat(probe.status()).isZero();
        assertThat(probe.out()).contains("Usage: PositionProbe", "--data=toy|toy-colour|shapes-bw|shapes",
                "--every=N", "--guidance=W[,W...]");
        CommandRun benchmark = CommandRun.of(DiffusionBenchmark.commandLine(), "--help");
        assertThat(benchmark.status()).isZero();
        assertThat(benchmark.out()).contains("Usage: DiffusionBenchmark", "[small|smoke|paper]", "[modelDir]");
        CommandRun report = CommandRun.of(ExperimentReport.commandLine(), "--help");
        assertThat(report.status()).isZero();
        assertThat(report.out()).contains("Usage: ExperimentReport", "[DIR]");
    }

    @Test
    void aBadOptionExitsWithStatus2AndAMessageBeforeAnythingTrains() {
        CommandRun experiment = CommandRun.of(DiffusionExperiment.commandLine(), "long", "--step", "10");
        assertThat(experiment.status()).isEqualTo(2);
        assertThat(experiment.err()).contains("Unknown options: '--step', '10'");
        CommandRun phase = CommandRun.of(DiffusionExperiment.commandLine(), "longer");
        assertThat(phase.status()).isEqualTo(2);
        assertThat(phase.err()).contains("Unmatched argument at index 0: 'longer'");
        CommandRun prediction = CommandRun.of(DiffusionExperiment.commandLine(), "long", "--prediction", "X0");
        assertThat(prediction.status()).isEqualTo(2);
        assertThat(prediction.err()).contains("Invalid value for option '--prediction'");
        CommandRun probe = CommandRun.of(PositionProbe.commandLine(), "--data", "toy", "--prompt", "long");
        assertThat(probe.status()).isEqualTo(2);
        assertThat(probe.err()).contains("--prompt long needs --data shapes");
        CommandRun benchmark = CommandRun.of(DiffusionBenchmark.commandLine(), "huge");
        assertThat(benchmark.status()).isEqualTo(2);
        assertThat(benchmark.err()).contains("unknown preset huge");
        CommandRun report = CommandRun.of(ExperimentReport.commandLine(), "--out", "x");
        assertThat(report.status()).isEqualTo(2);
        assertThat(report.err()).contains("Unknown option");
    }
}
