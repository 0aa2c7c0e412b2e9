package io.recap.relabel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.kafka.KafkaAcls;
import io.recap.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker on a broker that authenticates (SASL/SCRAM) and allows only {@link KafkaAcls}: it authenticates as
 * {@code relabel-worker} from the platform's {@code KAFKA_SASL_*} variables, and its grants are enough for all the
 * binder does (create its topics, join its group, write results and dead letters).
 */
class RelabelWorkerAclsTests {

    @TempDir
    Path tempDir;

    @Test
    void aWorkerAuthenticatedAsRelabelWorkerRelabelsAndDeadLettersUnderItsAcls() throws Exception {
        Map<String, String> passwords = Map.of(KafkaAcls.ORCHESTRATOR, "orchestrator-password",
                KafkaAcls.RELABEL_WORKER, "worker-password");
        // Four partitions by default, as many as the binder's min-partition-count: the collector then sees every
        // partition of a topic it subscribed to before the topic existed.
        try (TestBroker broker = TestBroker.secured(tempDir.resolve("kafka"), 4, passwords)) {
            // Requests come from the orchestrator's principal; results and dead letters are read as the super user
            // (the orchestrator does not read the worker's dead letters).
            try (RelabelRig rig = new RelabelRig(tempDir, broker.bootstrapServers(),
                    broker.clientConfig(KafkaAcls.ORCHESTRATOR),
                    broker.adminConfig())) {
                List<String> ids = rig.renderImages(12);
                // No topic exists yet: the worker's binder creates its three, with its own grants.
                rig.startWorker(broker.serviceArgs(KafkaAcls.RELABEL_WORKER).toArray(String[]::new));

                rig.sendInBatches(ids, 4);
                rig.sendRaw(rig.corpus + "/poison", "{\"schemaVersion\":1".getBytes(StandardCharsets.UTF_8));

                await().atMost(Duration.ofMinutes(2))
                        .until(() -> rig.catalogued().size() == ids.size() && !rig.deadLetters.isEmpty());
                assertThat(rig.catalogued()).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(rig.deadLetters).singleElement()
                        .satisfies(record -> assertThat(record.key()).isEqualTo(rig.corpus + "/poison"));
            }
        }
    }
}
