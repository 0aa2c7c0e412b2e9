package io.recap.experiments.bases;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.experiments.CommandRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLinesTest {

    @Test
    void helpPrintsEachProgramsUsageAndExitsZero() {
        CommandRun bases = CommandRun.of(PretrainBases.commandLine(), "--help");
        assertThat(bases.status()).isZero();
        assertThat(bases.out()).contains("Usage: PretrainBases", "t2i", "captioner", "features", "clip");
        CommandRun t2i = CommandRun.of(PretrainBases.commandLine(), "t2i", "--help");
        assertThat(t2i.status()).isZero();
        assertThat(t2i.out()).contains("Usage: PretrainBases t2i", "--out=DIR", "--version=V", "--from=MODEL_DIR",
                "--foreground-weight=W", "--web-text=STEPS");
        CommandRun probe = CommandRun.of(WarmStartProbe.commandLine(), "--help");
        assertThat(probe.status()).isZero();
        assertThat(probe.out()).contains("Usage: WarmStartProbe", "--base=DIR", "--checkpoint=DIR", "--eval-every=N");
        CommandRun export = CommandRun.of(ExportBase.commandLine(), "--help");
        assertThat(export.status()).isZero();
        assertThat(export.out()).contains("Usage: ExportBase", "--store=DIR", "--model=kind/name/version");
    }

    @Test
    void aBadOptionExitsWithStatus2AndAMessageBeforeAnythingTrains() {
        CommandRun bases = CommandRun.of(PretrainBases.commandLine(), "t2i", "--foregroundWeight", "1");
        assertThat(bases.status()).isEqualTo(2);
        assertThat(bases.err()).contains("Unknown options: '--foregroundWeight', '1'");
        CommandRun noBase = CommandRun.of(PretrainBases.commandLine());
        assertThat(noBase.status()).isEqualTo(2);
        assertThat(noBase.err()).contains("name the base to train");
        CommandRun probe = CommandRun.of(WarmStartProbe.commandLine(), "--steps", "10");
        assertThat(probe.status()).isEqualTo(2);
        assertThat(probe.err()).contains("give one of --base DIR and --checkpoint DIR");
        CommandRun export = CommandRun.of(ExportBase.commandLine(), "--model", "text-to-image/x/v1");
        assertThat(export.status()).isEqualTo(2);
        assertThat(export.err()).contains("Missing required option: '--store=DIR'");
    }

    @Test
    void theBasesKeepTheirDefaultsAndTakeTheDocumentedOptions() {
        CommandLine.ParseResult t2i = PretrainBases.commandLine().parseArgs("t2i", "--out", "/tmp/t2i", "--seed",
                "1001", "--steps", "8000", "--version", "v3", "--from", "models/text-to-image/shapes-t2i-base/v2",
                "--foreground-weight", "1", "--web-text", "2000");
        PretrainBases.TextToImage given = (PretrainBases.TextToImage) t2i.subcommand().commandSpec().userObject();
        assertThat(given.output.out).isEqualTo(Path.of("/tmp/t2i"));
        assertThat(given.steps).isEqualTo(8000);
        assertThat(given.count).isEqualTo(20_000);
        assertThat(given.version).isEqualTo("v3");
        assertThat(given.from).isEqualTo(Path.of("models/text-to-image/shapes-t2i-base/v2"));
        assertThat(given.foregroundWeight).isEqualTo(1f);
        assertThat(given.webTextSteps).isEqualTo(2000);

        PretrainBases.TextToImage t2iDefaults = (PretrainBases.TextToImage) PretrainBases.commandLine()
                .parseArgs("t2i").subcommand().commandSpec().userObject();
        assertThat(t2iDefaults.output.out).isEqualTo(Path.of("/tmp/recap-bases"));
        assertThat(t2iDefaults.seed).isEqualTo(1001);
        assertThat(t2iDefaults.steps).isEqualTo(3000);
        assertThat(t2iDefaults.version).isEqualTo("v1");
        assertThat(t2iDefaults.from).isNull();
        assertThat(t2iDefaults.webTextSteps).isZero();
        PretrainBases.Features features = (PretrainBases.Features) PretrainBases.commandLine().parseArgs("features")
                .subcommand().commandSpec().userObject();
        assertThat(features.seed).isEqualTo(1003);
        assertThat(features.count).isEqualTo(30_000);
        assertThat(features.steps).isEqualTo(3000);
        assertThat(features.batch).isEqualTo(32);
        assertThat(features.learningRate).isEqualTo(3e-3f);
        PretrainBases.Clip clip = (PretrainBases.Clip) PretrainBases.commandLine().parseArgs("clip", "--lr", "5e-4")
                .subcommand().commandSpec().userObject();
        assertThat(clip.count).isEqualTo(20_000);
        assertThat(clip.steps).isEqualTo(750);
        assertThat(clip.batch).isEqualTo(64);
        assertThat(clip.learningRate).isEqualTo(5e-4f);
        PretrainBases.Captioner captioner = (PretrainBases.Captioner) PretrainBases.commandLine()
                .parseArgs("captioner").subcommand().commandSpec().userObject();
        assertThat(captioner.steps).isEqualTo(10_000);
        assertThat(captioner.seed).isEqualTo(1002);
    }
}
