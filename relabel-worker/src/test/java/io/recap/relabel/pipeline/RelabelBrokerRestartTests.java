package io.recap.relabel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.testsupport.TestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker itself crashes mid-run: a real KRaft broker in a child JVM is killed (SIGKILL) and
 * restarted on the same data directory while a worker is relabelling.
 */
class RelabelBrokerRestartTests {

    @TempDir
    Path tempDir;

    @Test
    void aRunSurvivesABrokerKilledAndRestartedMidway() throws Exception {
        try (TestBroker broker = TestBroker.plain(tempDir.resolve("kafka"), 4);
                RelabelRig rig = new RelabelRig(tempDir, broker.bootstrapServers())) {
            List<String> ids = rig.renderImages(600);
            rig.startWorker();
            rig.sendInBatches(ids, 20);

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> rig.catalogued().size() >= 20);
            broker.broker().kill();
            int atCrash = rig.catalogued().size();
            Thread.sleep(3_000);
            broker.broker().start();

            await().atMost(Duration.ofMinutes(5)).until(() -> rig.catalogued().size() == ids.size());
            assertThat(atCrash).isLessThan(ids.size());
            assertThat(rig.catalogued()).containsExactlyInAnyOrderElementsOf(ids);
            System.out.printf("relabel broker restart: %d images, broker killed at %d catalogued, %d catalogued after"
                    + " restart, %d duplicate deliveries absorbed%n", ids.size(), atCrash, rig.catalog.size(),
                    rig.deliveries.size() - rig.catalog.size());
        }
    }
}
