package io.recap.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.recap.core.domain.ModelRef;
import io.recap.shapes.corpus.CorpusConfig;
import io.recap.shapes.corpus.CorpusGenerator;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;

/**
 * The container tier: the platform's orchestrator and a relabel worker against the Kafka and PostgreSQL images
 * built here from Debian's packages (docker/build-base-images.sh), started through Testcontainers: a corpus
 * ingested and relabelled, stored in PostgreSQL, served by the Kafka image. `.ci/run` builds the images and starts
 * the Docker daemon; without a daemon or the images this class is skipped, saying why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerTierTests {

    static final String KAFKA_IMAGE = "recap/base-kafka:4.1.2";
    static final String POSTGRES_IMAGE = "recap/base-postgres:15";
    private static final String CORPUS = "containers";
    private static final int IMAGES = 120;

    GenericContainer<?> kafka;
    GenericContainer<?> postgres;
    RecapPlatform platform;

    @BeforeAll
    void startContainers(@TempDir Path tempDir) throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker daemon: the container tier is skipped");
        assumeTrue(imagePresent(KAFKA_IMAGE) && imagePresent(POSTGRES_IMAGE),
                "the local images are missing: run docker/build-base-images.sh postgres kafka");
        postgres = new GenericContainer<>(DockerImageName.parse(POSTGRES_IMAGE))
                .withEnv(Map.of("POSTGRES_USER", "recap", "POSTGRES_PASSWORD", "container-tier", "POSTGRES_DB", "recap"))
                .withExposedPorts(5432)
                // Once: the image's entrypoint keeps the temporary server of its first start quiet.
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 1)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        postgres.start();
        // Kafka advertises the address clients must use, so its port is the same inside and outside.
        int port = freePort();
        kafka = new GenericContainer<>(DockerImageName.parse(KAFKA_IMAGE))
                .withEnv(Map.ofEntries(
                        Map.entry("CLUSTER_ID", "cmVjYXAta2Fma2EtMDAwMQ"),
                        Map.entry("KAFKA_NODE_ID", "1"),
                        Map.entry("KAFKA_PROCESS_ROLES", "broker,controller"),
                        Map.entry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093"),
                        Map.entry("KAFKA_LISTENERS", "PLAINTEXT://:" + port + ",CONTROLLER://:9093"),
                        Map.entry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + port),
                        Map.entry("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                        Map.entry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER"),
                        Map.entry("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT"),
                        Map.entry("KAFKA_NUM_PARTITIONS", "4"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "4"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1"),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1"),
                        Map.entry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1"),
                        Map.entry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")))
                .withExposedPorts(port)
                .withCreateContainerCmdModifier(command -> command.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), new ExposedPort(port))))
                .waitingFor(Wait.forLogMessage(".*Kafka Server started.*", 1).withStartupTimeout(Duration.ofMinutes(2)));
        kafka.start();

        platform = new RecapPlatform("127.0.0.1:" + port, tempDir);
        CorpusGenerator.generate(CorpusConfig.of(platform.imageRoot().resolve(CORPUS), IMAGES, 5), line -> { });
        platform.startOrchestrator("--spring.profiles.active=postgres",
                "--spring.datasource.url=jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432)
                        + "/recap",
                "--spring.datasource.username=recap", "--spring.datasource.password=container-tier");
        platform.startWorker();
    }

    @AfterAll
    void stop() {
        if (platform != null) {
            platform.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void aCorpusIsIngestedAndRelabelledThroughTheKafkaImageIntoThePostgresImage() throws Exception {
        ModelRef captioner = platform.publishTinyCaptioner("containers-tiny", "v1", 11);
        platform.awaitWorkersAssigned(1, Duration.ofSeconds(90));

        assertThat(platform.post("/corpora/" + CORPUS + "/ingest", "{\"manifestDir\":\"" + CORPUS + "\"}").statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.get("/corpora/" + CORPUS).statusCode() == 200
                && platform.getJson("/corpora/" + CORPUS).get("imageCount").asLong() == IMAGES);
        String jobId = platform.submit("{\"kind\":\"RELABEL\",\"spec\":{\"corpusId\":\"" + CORPUS
                + "\",\"captioner\":\"" + captioner + "\"}}");
        JsonNode job = platform.awaitTerminal(jobId, Duration.ofMinutes(3));

        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(IMAGES);
        // The catalog is the PostgreSQL container's: one row per image, each captioned in both styles.
        JdbcClient db = platform.orchestrator().getBean(JdbcClient.class);
        assertThat(db.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL 15");
        assertThat(db.sql("SELECT COUNT(*) FROM images WHERE corpus_id = ?").param(CORPUS).query(Long.class).single())
                .isEqualTo(IMAGES);
        JsonNode corpus = platform.getJson("/corpora/" + CORPUS);
        long failed = corpus.get("relabelFailures").properties().stream().mapToLong(e -> e.getValue().asLong()).sum();
        JsonNode captions = corpus.get("captions").get(captioner.toString());
        assertThat(captions.get("SHORT").asLong() + failed).isEqualTo(IMAGES);
        assertThat(captions.get("LONG").asLong() + failed).isEqualTo(IMAGES);
    }

    private static boolean imagePresent(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
