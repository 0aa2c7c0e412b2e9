package io.recap.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LaunchOptionsTest {

    @Test
    void defaultsFineTuneTheShippedBasesUnderRecapData() {
        LaunchOptions options = LaunchOptions.parse(new String[0]);
        assertThat(options.dataDir()).isEqualTo(Path.of("recap-data"));
        assertThat(options.preset()).isEqualTo("demo");
        assertThat(options.scenes()).isEqualTo(LaunchOptions.DEMO_BUDGET.scenes());
        assertThat(options.imageSize()).isEqualTo(64);
        assertThat(options.fromBases()).isTrue();
        assertThat(options.jobPreset()).isEqualTo("small");
        assertThat(options.portBase()).isEqualTo(8080);
        assertThat(options.serve()).isFalse();
        assertThat(options.corpusOnly()).isFalse();
    }

    @Test
    void theSmallPresetBringsItsOwnCorpusSizeUnlessACountIsGiven() {
        LaunchOptions small = LaunchOptions.parse(new String[] {"--preset", "SMALL", "--serve"});
        assertThat(small.scenes()).isEqualTo(40_600);
        assertThat(small.imageSize()).isEqualTo(64);
        assertThat(small.serve()).isTrue();
        LaunchOptions counted = LaunchOptions.parse(new String[] {"--preset", "small", "--count", "2000",
                "--data", "/tmp/x", "--port-base", "9000", "--corpus-only", "--seed", "3"});
        assertThat(counted.scenes()).isEqualTo(2000);
        assertThat(counted.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(counted.portBase()).isEqualTo(9000);
        assertThat(counted.corpusOnly()).isTrue();
        assertThat(counted.seed()).isEqualTo(3);
    }

    @Test
    void badOptionsAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--preset", "paper"}))
                .hasMessageContaining("--preset must be demo, ci, smoke or small");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--frobnicate", "1"}))
                .hasMessageContaining("Unknown options: '--frobnicate', '1'");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--data"}))
                .hasMessageContaining("Missing required parameter for option '--data'");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--seeds", "two"}))
                .hasMessageContaining("Invalid value for option '--seeds': 'two' is not an int");
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--port-base", "80"}))
                .hasMessageContaining("--port-base");
    }

    @Test
    void helpPrintsTheOptionsAndExitsZeroWithoutRunningAnything() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = RecapLauncher.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("--help");
        assertThat(status).isZero();
        assertThat(out.toString()).contains("Usage: java -jar recap-launcher.jar", "--data=DIR",
                "--preset=demo|ci|smoke|small", "--experiment", "--seeds=N", "--t2i-steps=N");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aBadOptionExitsWithStatus2AndAMessageBeforeAnythingRuns() {
        StringWriter err = new StringWriter();
        CommandLine launcher = RecapLauncher.commandLine().setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err));
        assertThat(launcher.execute("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--frobnicate'", "Usage: java -jar recap-launcher.jar");
        assertThat(launcher.execute("--experiment", "--preset", "smoke")).isEqualTo(2);
        assertThat(err.toString()).contains("--experiment fine-tunes the shipped bases");
    }

    @Test
    void anExperimentRunsFromTheShippedBasesOnly() {
        LaunchOptions experiment = LaunchOptions.parse(new String[] {"--experiment", "--preset", "ci", "--seeds", "3",
                "--t2i-steps", "500"});
        assertThat(experiment.experiment()).isTrue();
        assertThat(experiment.seeds()).isEqualTo(3);
        assertThat(experiment.budget().t2iSteps()).isEqualTo(500);
        assertThat(experiment.budget().evalPrompts()).isEqualTo(LaunchOptions.CI_BUDGET.evalPrompts());
        assertThatThrownBy(() -> LaunchOptions.parse(new String[] {"--experiment", "--preset", "smoke"}))
                .hasMessageContaining("--experiment fine-tunes the shipped bases");
    }
}
