package io.recap.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LaunchOptionsTest {

    @TempDir
    Path tmp;

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
        assertThat(options.platform()).as("the local mode starts its own platform").isNull();
        assertThat(options.platformData().corpusDir("c")).isEqualTo(Path.of("recap-data/corpora/c").toAbsolutePath());
    }

    @Test
    void aRunningPlatformIsNamedByTheOrchestratorsUrlItsDataDirectoryAndTheKeysFile() throws Exception {
        Path key = Files.writeString(tmp.resolve("admin.key"), "k\n");
        LaunchOptions options = LaunchOptions.parse("--platform-url", "http://127.0.0.1:8080/", "--platform-data",
                tmp.toString(), "--platform-data-path", "/recap-data", "--api-key-file", key.toString(),
                "--preset", "smoke");
        LaunchOptions.ExistingPlatform platform = options.platform();
        assertThat(platform.orchestrator()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(platform.caption()).isEqualTo(URI.create("http://127.0.0.1:8081"));
        assertThat(platform.generation()).isEqualTo(URI.create("http://127.0.0.1:8082"));
        assertThat(platform.apiKey()).isEqualTo("k");
        assertThat(platform.apiKeySource()).isEqualTo(key.toAbsolutePath().toString());
        Path corpus = options.platformData().corpusDir("shapes-42-smoke");
        assertThat(corpus).isEqualTo(tmp.resolve("corpora/shapes-42-smoke"));
        assertThat(options.platformData().platformPath(corpus)).isEqualTo("/recap-data/corpora/shapes-42-smoke");
        assertThat(options.platformData().store()).isEqualTo(tmp.resolve("store"));

        LaunchOptions named = LaunchOptions.parse("--platform-url", "https://recap.example/api", "--caption-url",
                "https://caption.example/", "--generation-url", "https://generation.example", "--platform-data",
                tmp.toString(), "--api-key-file", key.toString());
        assertThat(named.platform().caption()).isEqualTo(URI.create("https://caption.example"));
        assertThat(named.platform().orchestrator()).isEqualTo(URI.create("https://recap.example/api"));
        assertThat(named.platformData().platformPath(tmp.resolve("corpora/x")))
                .as("without --platform-data-path the platform sees the directory where this host does")
                .isEqualTo(tmp.toAbsolutePath() + "/corpora/x");
    }

    @Test
    void theRunningPlatformsOptionsAreRefusedWhereTheyCannotWork() throws Exception {
        Path key = Files.writeString(tmp.resolve("admin.key"), "k\n");
        String url = "http://127.0.0.1:8080";
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-data", tmp.toString()))
                .hasMessageContaining("go with --platform-url");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file", key.toString()))
                .hasMessageContaining("--platform-url needs --platform-data DIR");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file", key.toString(),
                "--platform-data", tmp.resolve("absent").toString())).hasMessageContaining("is not a directory");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file", key.toString(),
                "--platform-data", tmp.toString(), "--platform-data-path", "recap-data"))
                .hasMessageContaining("--platform-data-path must be absolute");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file",
                tmp.resolve("no.key").toString(), "--platform-data", tmp.toString()))
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file", key.toString(),
                "--platform-data", tmp.toString(), "--serve")).hasMessageContaining("keeps serving without it");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--api-key-file", key.toString(),
                "--platform-data", tmp.toString(), "--port-base", "9000")).hasMessageContaining("--caption-url");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", "http://recap.example", "--api-key-file",
                key.toString(), "--platform-data", tmp.toString())).hasMessageContaining("names no port");
        assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", "ftp://127.0.0.1:8080", "--api-key-file",
                key.toString(), "--platform-data", tmp.toString())).hasMessageContaining("must be an http(s) URL");
        if (System.getenv(LaunchOptions.API_KEY_VARIABLE) == null) {
            assertThatThrownBy(() -> LaunchOptions.parse("--platform-url", url, "--platform-data", tmp.toString()))
                    .hasMessageContaining("needs an API key: --api-key-file FILE or the variable RECAP_API_KEY");
        }
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
                "--preset=demo|ci|smoke|small", "--experiment", "--seeds=N", "--t2i-steps=N", "--platform-url=URL",
                "--caption-url=URL", "--generation-url=URL", "--api-key-file=FILE", "--platform-data=DIR",
                "--platform-data-path=PATH");
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
