package io.recap.orchestrator.support;

import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.core.json.Json;
import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.RecapMessage;
import io.recap.service.security.TestApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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

    protected static final HttpClient HTTP = HttpClient.newHttpClient();
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

    protected HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(TestApiKeys.request(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return HTTP.send(TestApiKeys.request(uri(path)).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return Json.mapper().readTree(response.body());
    }

    protected JsonNode getJson(String path) throws IOException, InterruptedException {
        return json(get(path));
    }

    protected void send(String topic, RecapMessage message) throws Exception {
        kafka.send(topic, message.key(), CODEC.encode(message)).get(10, TimeUnit.SECONDS);
    }

    protected void sendRaw(String topic, String key, byte[] value) throws Exception {
        kafka.send(topic, key, value).get(10, TimeUnit.SECONDS);
    }

    /** Submits a job and returns its id. */
    protected String submit(String requestJson) throws Exception {
        HttpResponse<String> response = post("/jobs", requestJson);
        if (response.statusCode() != 201) {
            throw new AssertionError("POST /jobs answered " + response.statusCode() + ": " + response.body());
        }
        return json(response).get("jobId").asString();
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
        return URI.create("http://127.0.0.1:" + (path.startsWith("/actuator") ? managementPort : port) + path);
    }

    protected static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
