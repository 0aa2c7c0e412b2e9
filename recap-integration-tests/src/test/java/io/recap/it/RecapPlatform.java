package io.recap.it;

import io.recap.core.domain.JobState;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.json.Json;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.text.Vocabulary;
import io.recap.orchestrator.TrainingOrchestratorApplication;
import io.recap.relabel.RelabelWorkerApplication;
import io.recap.service.security.TestApiKeys;
import io.recap.testsupport.TestClient;
import io.recap.testsupport.TinyModels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The RECAP relabel path as it runs in production, in one JVM: the real training-orchestrator application
 * (H2 file database, store and image root in a temporary directory) and real relabel-worker applications,
 * all on one Kafka broker. Each application reads its own {@code application.yml}, extracted from its own
 * jar (both jars carry one, and the classpath would otherwise hand the first to both), and gets its settings
 * as command-line arguments, as a deployment would.
 */
public final class RecapPlatform implements AutoCloseable {

    /** Spring Cloud Stream (on the classpath for the workers) stays out of the orchestrator, as in production. */
    private static final String ORCHESTRATOR_EXCLUDES = String.join(",",
            "org.springframework.cloud.stream.config.BindersHealthIndicatorAutoConfiguration",
            "org.springframework.cloud.stream.config.ChannelsEndpointAutoConfiguration",
            "org.springframework.cloud.stream.config.BindingsEndpointAutoConfiguration",
            "org.springframework.cloud.stream.config.BindingServiceConfiguration",
            "org.springframework.cloud.stream.function.FunctionConfiguration");
    /** The orchestrator's JDBC and Flyway (on the classpath for the orchestrator) stay out of the workers. */
    private static final String WORKER_EXCLUDES = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

    private final String brokers;
    private final Path dataDir;
    private final Path imageRoot;
    private final Path configDir;
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
    private ConfigurableApplicationContext orchestrator;
    private TestClient client;

    public RecapPlatform(String brokers, Path tempDir) throws IOException {
        this.brokers = brokers;
        this.dataDir = Files.createDirectories(tempDir.resolve("recap-data"));
        this.imageRoot = Files.createDirectories(tempDir.resolve("corpora"));
        this.configDir = Files.createDirectories(tempDir.resolve("config"));
    }

    /** Where corpora go: the orchestrator's and the workers' one allowed image root. */
    public Path imageRoot() {
        return imageRoot;
    }

    /** The shared store (the orchestrator's {@code ${recap.data-dir}/store}; the workers' model store). */
    public Path store() {
        return dataDir.resolve("store");
    }

    public String brokers() {
        return brokers;
    }

    public ConfigurableApplicationContext startOrchestrator(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--recap.security.api-keys=" + TestApiKeys.property(),
                configLocation(TrainingOrchestratorApplication.class),
                "--spring.autoconfigure.exclude=" + ORCHESTRATOR_EXCLUDES,
                "--recap.data-dir=" + dataDir,
                "--spring.kafka.bootstrap-servers=" + brokers,
                "--recap.orchestrator.ingest.allowed-roots=" + imageRoot,
                "--recap.orchestrator.topic-partitions=4",
                "--recap.orchestrator.retry-backoff=200ms",
                "--recap.scheduling.poll-interval=200ms",
                "--recap.executor.local.progress-interval=200ms",
                "--recap.orchestrator.relabel.poll-interval=200ms"));
        args.addAll(List.of(extraArgs));
        orchestrator = new SpringApplicationBuilder(TrainingOrchestratorApplication.class)
                .run(args.toArray(String[]::new));
        client = new TestClient(
                Integer.parseInt(orchestrator.getEnvironment().getRequiredProperty("local.server.port")),
                Integer.parseInt(orchestrator.getEnvironment().getRequiredProperty("local.management.port")));
        return orchestrator;
    }

    public ConfigurableApplicationContext orchestrator() {
        return orchestrator;
    }

    public ConfigurableApplicationContext startWorker(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--recap.security.api-keys=" + TestApiKeys.property(),
                configLocation(RelabelWorkerApplication.class),
                "--spring.autoconfigure.exclude=" + WORKER_EXCLUDES,
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--recap.relabel.model-store=" + store(),
                "--recap.relabel.allowed-roots=" + imageRoot));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(RelabelWorkerApplication.class)
                .run(args.toArray(String[]::new));
        workers.add(worker);
        return worker;
    }

    public List<ConfigurableApplicationContext> workers() {
        return workers;
    }

    /**
     * Publishes the tiny untrained captioner into the store: fast, and the pipeline, not caption quality, is under
     * test. Different seeds give different weights, hence different captions.
     */
    public ModelRef publishTinyCaptioner(String name, String version, int seed) throws Exception {
        return TinyModels.captioner(store(), ModelRef.captioner(name, version), seed);
    }

    /**
     * Publishes the repository's shipped captioner base ({@code models/captioner/shapes-captioner-base/v1}) into the
     * store: a trained captioner, for tests that need a caption for every readable image (an untrained one may stop
     * at once and give an empty caption, which the worker records as a failure).
     */
    public ModelRef publishShippedCaptioner() throws IOException {
        Path shipped = Path.of("..", "models", "captioner", "shapes-captioner-base", "v1").toAbsolutePath().normalize();
        ModelManifest manifest = Json.read(Files.readAllBytes(shipped.resolve(ModelManifest.FILE_NAME)),
                ModelManifest.class);
        new ModelStore(store()).publish(manifest, target -> {
            try (var files = Files.list(shipped)) {
                for (Path file : files.toList()) {
                    if (!file.getFileName().toString().equals(ModelManifest.FILE_NAME)) {
                        Files.copy(file, target.resolve(file.getFileName()));
                    }
                }
            }
        });
        return manifest.ref();
    }

    public ModelRef publishCaptioner(String name, String version, CaptionerConfig config, Vocabulary vocabulary,
            int seed) throws Exception {
        return TinyModels.captioner(store(), ModelRef.captioner(name, version), config, vocabulary, seed);
    }

    // ------------------------------------------------------------------ REST

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.get(path);
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return client.getJson(path);
    }

    /** The JSON body of a response. */
    public static JsonNode json(HttpResponse<String> response) {
        return TestClient.json(response);
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return client.post(path, json);
    }

    /** {@code POST /jobs}; returns the job id. */
    public String submit(String requestJson) throws IOException, InterruptedException {
        return client.submit(requestJson);
    }

    /** Waits until the job is terminal; returns its view. */
    public JsonNode awaitTerminal(String jobId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = getJson("/jobs/" + jobId);
            if (JobState.valueOf(job.get("state").asString()).isTerminal()) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " not finished within " + timeout + ": " + job);
            }
            Thread.sleep(250);
        }
    }

    // ------------------------------------------------------------------ Kafka

    /** Sum of the end offsets of a topic's partitions: how many records it ever got. */
    public long endOffsets(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    /**
     * Waits until {@code members} consumers of the workers' group each own a partition of the request topic. Work
     * published before a late worker joins all goes to the first one, which a test that expects every worker to take
     * a share must not race against.
     */
    public void awaitWorkersAssigned(int members, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            while (true) {
                var group = admin.describeConsumerGroups(List.of("relabel-workers")).all().get().get("relabel-workers");
                long assigned = group.members().stream().filter(m -> m.assignment().topicPartitions().stream()
                        .anyMatch(tp -> tp.topic().equals(io.recap.core.messages.Topics.RELABEL_REQUESTS))).count();
                if (assigned >= members) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(assigned + " of " + members + " relabel workers own a partition after "
                            + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The orchestrator's URL of {@code path}. */
    public URI uri(String path) {
        return client.uri(path);
    }

    /** {@code --spring.config.location} naming a copy of the {@code application.yml} from {@code app}'s own jar. */
    private String configLocation(Class<?> app) throws IOException {
        Path target = configDir.resolve(app.getSimpleName() + ".yml");
        if (!Files.exists(target)) {
            Path source;
            try {
                source = Path.of(app.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
            if (Files.isDirectory(source)) {
                Files.copy(source.resolve("application.yml"), target);
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    ZipEntry entry = jar.getEntry("application.yml");
                    if (entry == null) {
                        throw new IOException("no application.yml in " + source);
                    }
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return "--spring.config.location=file:" + target;
    }

    @Override
    public void close() {
        workers.forEach(ConfigurableApplicationContext::close);
        workers.clear();
        if (orchestrator != null) {
            orchestrator.close();
        }
    }
}
