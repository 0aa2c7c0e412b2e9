package io.recap.launcher;

import io.recap.broker.LocalKafkaBroker;
import io.recap.core.kafka.KafkaAcls;
import io.recap.launcher.process.ChildJvm;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The platform the local mode starts on this machine: a Kafka broker and the four services as child JVMs from their
 * packaged jars, all reading one data directory ({@code corpora/}, {@code store/}, the orchestrator's H2 database)
 * and accepting the keys of its {@link LocalApiKey}. The orchestrator listens on {@code portBase}, caption-service on
 * +1, generation-service on +2, the relabel worker on +3, each service's Actuator a thousand ports above.
 */
final class LocalPlatform implements AutoCloseable {

    private static final Duration SERVICE_START = Duration.ofMinutes(3);

    private final Path data;
    private final int portBase;
    private final LocalApiKey apiKey;
    private final Path installation;
    private final Path logs;
    private final Consumer<String> out;
    private final List<AutoCloseable> started = new ArrayList<>();

    /**
     * @param data the data directory the services share
     * @param installation the checkout holding the services' jars
     * @param logs where each service's log goes
     */
    LocalPlatform(Path data, int portBase, LocalApiKey apiKey, Path installation, Path logs, Consumer<String> out) {
        this.data = data.toAbsolutePath();
        this.portBase = portBase;
        this.apiKey = apiKey;
        this.installation = installation;
        this.logs = logs;
        this.out = out;
    }

    /**
     * How the orchestrator runs jobs here: text-to-image fine-tunes and evaluations in the {@code cpu} pool, one trainer
     * JVM per job (the process executor) and as many at once as the machine has cores, each with one PyTorch thread;
     * the captioner fine-tune and RELABEL (which coordinates the relabel workers) in the orchestrator itself, one at a
     * time.
     */
    static final Map<String, String> TRAINER_POOLS = Map.of(
            "RECAP_EXECUTOR_PROCESS_ENABLED", "true",
            "RECAP_EXECUTOR_PROCESS_JVMOPTIONS", "-Xmx2g,-Djava.awt.headless=true,-Dai.djl.offline=true,"
                    + "-Drecap.ml.threads=1",
            "RECAP_SCHEDULING_SLOTS_CPU", Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())),
            "RECAP_SCHEDULING_EXECUTORS_CPU", "process",
            "RECAP_SCHEDULING_SLOTS_INPROCESS", "1",
            "RECAP_SCHEDULING_EXECUTORS_INPROCESS", "local",
            "RECAP_SCHEDULING_KINDPOOLS_RELABEL", "inprocess",
            "RECAP_SCHEDULING_KINDPOOLS_CAPTIONERFINETUNE", "inprocess");

    URI orchestrator() {
        return service(0);
    }

    URI caption() {
        return service(1);
    }

    URI generation() {
        return service(2);
    }

    private URI service(int offset) {
        return URI.create("http://127.0.0.1:" + (portBase + offset));
    }

    /**
     * Broker, orchestrator and one relabel worker. The broker authenticates (SASL/SCRAM) and allows each service only
     * its ACLs, as a deployed one does: each service gets its own user and password file, and the orchestrator hands
     * its trainer JVMs the trainer's, which may write training events and nothing else.
     */
    void startBackbone() {
        LocalKafkaCredentials kafka = LocalKafkaCredentials.ensure(data);
        quietKafkaClientLogs();
        LocalKafkaBroker broker = new LocalKafkaBroker(data.resolve("kafka"), 0, 4,
                new LocalKafkaBroker.Sasl(kafka.adminPassword()));
        started.add(broker);
        broker.start();
        broker.upsertScramUsers(kafka.servicePasswords());
        broker.applyPlatformAcls();
        String bootstrap = broker.bootstrapServers();
        out.accept("kafka broker:          " + bootstrap + " (SASL/SCRAM, passwords in " + data.resolve("security")
                + "/kafka-*.password; log " + data.resolve("kafka/broker.log") + ")");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", Integer.toString(portBase));
        env.put("RECAP_DATA", data.toString());
        env.putAll(securityEnv(0));
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.putAll(kafka.clientVariables(KafkaAcls.ORCHESTRATOR));
        env.putAll(TRAINER_POOLS);
        // Each trainer JVM inherits the orchestrator's environment; these replace its Kafka user and password file.
        // Arguments, because an environment variable cannot name a map key in upper case; they hold no secret.
        List<String> trainerKafka = new ArrayList<>();
        kafka.clientVariables(KafkaAcls.TRAINER).forEach((name, value) ->
                trainerKafka.add("--recap.executor.process.env[" + name + "]=" + value));
        ChildJvm orchestrator = start("training-orchestrator",
                jar("training-orchestrator", "training-orchestrator-0.1.0-SNAPSHOT-exec.jar"), env, trainerKafka, 0,
                true);

        Map<String, String> workerEnv = new LinkedHashMap<>();
        workerEnv.put("PORT", Integer.toString(portBase + 3));
        workerEnv.putAll(securityEnv(3));
        workerEnv.put("KAFKA_BOOTSTRAP", bootstrap);
        workerEnv.putAll(kafka.clientVariables(KafkaAcls.RELABEL_WORKER));
        workerEnv.put("RECAP_STORE", data.resolve("store").toString());
        workerEnv.put("RECAP_IMAGE_ROOTS", data.resolve("corpora").toString());
        start("relabel-worker", jar("relabel-worker", "relabel-worker-0.1.0-SNAPSHOT-exec.jar"), workerEnv,
                List.of(), 3, true);
        out.accept("training-orchestrator: " + orchestrator() + "/jobs (log " + orchestrator.log() + ")");
    }

    /**
     * caption-service and generation-service on the store's promoted models.
     *
     * @param awaitModels wait until both serve a model (readiness), else only until they run (liveness): a platform
     *     started before anything is promoted, whose services pick up the promotions later (they re-read the store)
     */
    void startServing(boolean awaitModels) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RECAP_STORE", data.resolve("store").toString());
        env.put("PORT", Integer.toString(portBase + 1));
        env.putAll(securityEnv(1));
        start("caption-service", jar("caption-service", "caption-service-0.1.0-SNAPSHOT.jar"),
                new LinkedHashMap<>(env), List.of(), 1, awaitModels);
        env.put("PORT", Integer.toString(portBase + 2));
        env.putAll(securityEnv(2));
        start("generation-service", jar("generation-service", "generation-service-0.1.0-SNAPSHOT.jar"), env,
                List.of(), 2, awaitModels);
    }

    /**
     * The launcher's own Kafka admin client (it sets the broker's users and ACLs) would print every setting at
     * logback's default level, DEBUG, among the launcher's lines; its warnings are all the console needs. Only this
     * JVM: the broker's child JVM logs to its own file as before.
     */
    private static void quietKafkaClientLogs() {
        if (org.slf4j.LoggerFactory.getLogger("org.apache.kafka") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private ChildJvm start(String name, Path jar, Map<String, String> env, List<String> args, int offset,
            boolean ready) {
        ChildJvm jvm = ChildJvm.start(name, jar, List.of("-Xmx3g"), env, args, logs);
        started.add(jvm);
        jvm.awaitHealthy(URI.create("http://127.0.0.1:" + managementPort(offset) + "/actuator/health/"
                + (ready ? "readiness" : "liveness")), SERVICE_START);
        return jvm;
    }

    /** Actuator's port of the service on {@code portBase + offset}: a thousand above it. */
    private int managementPort(int offset) {
        return portBase + 1000 + offset;
    }

    /** The key file and the management port of the service on {@code portBase + offset}. */
    private Map<String, String> securityEnv(int offset) {
        return Map.of("RECAP_SECURITY_APIKEYSFILE", apiKey.keysFile().toString(),
                "MANAGEMENT_PORT", Integer.toString(managementPort(offset)));
    }

    private Path jar(String module, String file) {
        return installation.resolve(module).resolve("target").resolve(file);
    }

    /** Stops what was started, newest first. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.accept("could not stop " + started.get(i) + ": " + e.getMessage());
            }
        }
        started.clear();
    }
}
