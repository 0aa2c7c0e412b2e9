package io.recap.orchestrator.support;

import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RecapMessage;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole service on a random port with a real in-process KRaft broker, an H2 file database and a model
 * store in a temporary directory, and the local executor running the real training tasks — or, for jobs whose
 * params say {@code simulate=true}, {@link SimulatedTrainingTask} ({@link SimulatedTrainingTasks}). Every
 * subclass shares this one application context (same configuration, so Spring caches it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(SimulatedTrainingTasks.class)
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
        brokerProperties = {"offsets.topic.num.partitions=1", "group.initial.rebalance.delay.ms=0"})
public abstract class OrchestratorIntegrationTest {

    protected static final HttpClient HTTP = TestClient.HTTP;
    protected static final MessageCodec CODEC = new MessageCodec();
    protected static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("orchestrator-it");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @LocalServerPort
    protected int port;

    /** Actuator's own port: the service's only serves the API. */
    @LocalManagementPort
    protected int managementPort;

    @Autowired
    protected KafkaTemplate<String, byte[]> kafka;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("recap.data-dir", DATA_DIR::toString);
        registry.add("recap.security.api-keys", TestApiKeys::property);
        registry.add("recap.executor.local.progress-interval", () -> "20ms");
        registry.add("recap.orchestrator.retry-backoff", () -> "100ms");
        registry.add("recap.scheduling.poll-interval", () -> "200ms");
        registry.add("recap.orchestrator.topic-partitions", () -> "1");
    }

    protected Path store() {
        return DATA_DIR.resolve("store");
    }

    /** The service's API and Actuator, called with the admin test key. */
    protected TestClient client() {
        return new TestClient(port, managementPort);
    }

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client().get(path);
    }

    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client().post(path, json);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return TestClient.json(response);
    }

    protected JsonNode getJson(String path) throws IOException, InterruptedException {
        return client().getJson(path);
    }

    protected void send(String topic, RecapMessage message) throws Exception {
        kafka.send(topic, message.key(), CODEC.encode(message)).get(10, TimeUnit.SECONDS);
    }

    protected void sendRaw(String topic, String key, byte[] value) throws Exception {
        kafka.send(topic, key, value).get(10, TimeUnit.SECONDS);
    }

    /** Submits a job and returns its id. */
    protected String submit(String requestJson) throws Exception {
        return client().submit(requestJson);
    }

    protected JsonNode awaitState(String jobId, JobState state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> getJson("/jobs/" + jobId).get("state").asString().equals(state.name()));
        try {
            return getJson("/jobs/" + jobId);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    protected URI uri(String path) {
        return client().uri(path);
    }

    protected static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
