package io.recap.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher against a platform that already runs ({@code --platform-url}): a platform is started the way the local
 * mode starts its own (broker and the four services from their packaged jars, caption-service and generation-service
 * before anything is promoted, as in the Compose stack), then the launcher drives the smoke loop through its ports.
 * The launcher reaches the platform's data directory by another path than the services do (a symbolic link standing
 * for a container's bind mount), so the path it sends to the ingest must be translated.
 */
class RunningPlatformTest {

    private static final int PORT = 18380;

    @TempDir
    Path tmp;

    @Test
    void theLauncherDrivesTheSmokeLoopThroughARunningPlatformsPortsAndStartsNothingItself() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("training-orchestrator/target/training-orchestrator-0.1.0-SNAPSHOT-exec.jar"))
                .as("the reactor packages the services before this test (see this module's pom)").exists();
        Path platformData = Files.createDirectories(tmp.resolve("platform"));
        Path mount = Files.createSymbolicLink(tmp.resolve("mount"), platformData);
        Path launcherData = tmp.resolve("launcher");
        LocalApiKey key = LocalApiKey.ensure(platformData);
        List<String> console = Collections.synchronizedList(new ArrayList<>());

        RecapLoop.Outcome outcome;
        try (LocalPlatform platform = new LocalPlatform(platformData, PORT, key, root, tmp.resolve("platform-logs"),
                System.out::println)) {
            platform.startBackbone();
            platform.startServing(false);
            LaunchOptions options = LaunchOptions.parse("--platform-url", "http://127.0.0.1:" + PORT,
                    "--api-key-file", key.keyFile().toString(), "--platform-data", mount.toString(),
                    "--platform-data-path", platformData.toString(), "--data", launcherData.toString(),
                    "--preset", "smoke", "--count", "400");
            outcome = RecapLauncher.run(options, root, line -> {
                console.add(line);
                System.out.println(line);
            });
        }

        assertThat(console).anyMatch(line -> line.startsWith("wall time:"));
        assertThat(console).anyMatch(line -> line.startsWith("platform:") && line.contains("already running"));
        assertThat(console).noneMatch(line -> line.startsWith("kafka broker:") || line.startsWith("API key (admin):"));
        assertThat(outcome.comparison().get("models").size()).isEqualTo(2);
        assertThat(outcome.generatedImage()).isNotEmptyFile();
        assertThat(outcome.report()).isNotEmptyFile();

        String transcript = Files.readString(outcome.transcript());
        String orchestrator = "http://127.0.0.1:" + PORT;
        assertThat(transcript).contains(
                "-X POST " + orchestrator + "/corpora/shapes-42-smoke/ingest",
                "{\"manifestDir\":\"" + platformData + "/corpora/shapes-42-smoke\"}",
                "\"kind\":\"CAPTIONER_FINETUNE\"", "\"kind\":\"RELABEL\"", "\"kind\":\"T2I_FINETUNE\"",
                "\"kind\":\"EVALUATE\"", orchestrator + "/models/comparison?baseline=",
                orchestrator + "/models/text-to-image/t2i-recap/v1/promote",
                "-X POST http://127.0.0.1:" + (PORT + 1) + "/caption",
                "-X POST http://127.0.0.1:" + (PORT + 2) + "/generate", "the launcher started none of it");
        assertThat(transcript).doesNotContain(Files.readString(key.keyFile()).strip());
        // The corpus went where the platform reads it; the launcher's own directory got only the run's record: no
        // broker, no service logs, no keys, no corpus, no store.
        assertThat(platformData.resolve("corpora/shapes-42-smoke/corpus.jsonl")).isNotEmptyFile();
        assertThat(launcherData.resolve("security")).doesNotExist();
        assertThat(launcherData.resolve("kafka")).doesNotExist();
        assertThat(launcherData.resolve("corpora")).doesNotExist();
        assertThat(launcherData.resolve("store")).doesNotExist();
        assertThat(outcome.transcript().resolveSibling("logs")).doesNotExist();
    }
}
