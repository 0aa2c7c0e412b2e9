package io.recap.broker;

import io.recap.core.kafka.KafkaAcls;
import io.recap.core.kafka.KafkaClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), started as a
 * child JVM with Kafka's own {@code kafka.Kafka} main and its data kept in {@code dataDir}. Because
 * the data survives the process, {@link #kill()} followed by {@link #start()} is a real broker
 * restart: topics, committed offsets and unconsumed records are still there.
 *
 * <p>By default every listener is PLAINTEXT and anyone may do anything. With {@link Sasl} the broker authenticates
 * and authorizes like a deployed one: the client port takes SASL_PLAINTEXT with SCRAM-SHA-256 only, the
 * StandardAuthorizer refuses whatever no ACL allows ({@code allow.everyone.if.no.acl.found=false}), and the super
 * user {@value #ADMIN_USER} creates the service users ({@link #upsertScramUsers}) and their ACLs
 * ({@link #applyPlatformAcls}), which live in the metadata log and so survive a restart. The super user
 * authenticates with SASL/PLAIN against a password in this broker's own configuration, on an internal listener (the
 * inter-broker one) and on the controller listener, both on 127.0.0.1 only: its identity never depends on SCRAM
 * credentials in the metadata, so a data directory formatted without SASL, or by an earlier run, can be switched
 * to SASL and its users (re)created.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The super user of the SASL mode. */
    public static final String ADMIN_USER = "admin";

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(30);
    private static final String SCRAM = "SCRAM-SHA-256";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /**
     * Opt-in authentication and authorization.
     *
     * @param adminPassword the password of {@value #ADMIN_USER}, the super user (kept in the broker's
     *     configuration file, which is written readable by its owner only)
     */
    public record Sasl(String adminPassword) {
        public Sasl {
            if (adminPassword == null || adminPassword.isEmpty()) {
                throw new IllegalArgumentException("the admin password must not be empty");
            }
        }

        @Override
        public String toString() {
            return "Sasl[adminPassword=(hidden)]";
        }
    }

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int internalPort;
    private final int defaultPartitions;
    private final Sasl sasl;
    private Process process;

    /**
     * A broker without authentication (every listener PLAINTEXT, no authorizer).
     *
     * @param dataDir where the log segments and metadata live (created and formatted on first start)
     * @param port the client port on 127.0.0.1; 0 picks a free one once, kept across restarts
     * @param defaultPartitions partitions of topics created on first use
     */
    public LocalKafkaBroker(Path dataDir, int port, int defaultPartitions) {
        this(dataDir, port, defaultPartitions, null);
    }

    /**
     * @param sasl null for a broker without authentication; otherwise SASL/SCRAM on the client port and ACLs
     */
    public LocalKafkaBroker(Path dataDir, int port, int defaultPartitions, Sasl sasl) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
        this.internalPort = sasl == null ? -1 : freePort();
        this.defaultPartitions = defaultPartitions;
        this.sasl = sasl;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean saslEnabled() {
        return sasl != null;
    }

    /**
     * What a client needs to connect as {@code user}: the bootstrap servers and, in the SASL mode, SCRAM-SHA-256
     * with {@code password} (ignored without SASL).
     */
    public Map<String, Object> clientConfig(String user, String password) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (sasl != null) {
            config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            config.putAll(KafkaClientSecurity.sasl(SCRAM, user, password));
        }
        return config;
    }

    /** What a client needs to connect as the super user (on the internal listener in the SASL mode). */
    public Map<String, Object> adminConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        if (sasl == null) {
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            return config;
        }
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.putAll(KafkaClientSecurity.sasl("PLAIN", ADMIN_USER, sasl.adminPassword()));
        return config;
    }

    /**
     * Creates or replaces SCRAM-SHA-256 credentials (user name to password) and returns once the broker
     * authenticates with them. The broker must be running in the SASL mode.
     */
    public void upsertScramUsers(Map<String, String> passwords) {
        requireSasl();
        List<UserScramCredentialAlteration> alterations = new ArrayList<>();
        passwords.forEach((user, password) -> alterations.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), password)));
        try (Admin admin = Admin.create(adminConfig())) {
            admin.alterUserScramCredentials(alterations).all().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // The controller commits the credentials; the broker learns them from the metadata log a moment later.
            awaitPropagation("SCRAM users " + passwords.keySet(), () -> admin.describeUserScramCredentials(
                    List.copyOf(passwords.keySet())).all().get().keySet().containsAll(passwords.keySet()));
        } catch (Exception e) {
            throw failure("cannot create the SCRAM users " + passwords.keySet(), e);
        }
    }

    /**
     * Makes the ACLs of the platform's principals exactly those of {@link KafkaAcls}: missing ones are created, ones
     * no longer defined (left by an earlier version in a kept data directory) are deleted. Returns once the broker
     * enforces them. The broker must be running in the SASL mode.
     */
    public void applyPlatformAcls() {
        requireSasl();
        Set<AclBinding> wanted = new HashSet<>(platformAclBindings());
        try (Admin admin = Admin.create(adminConfig())) {
            Set<AclBinding> existing = new HashSet<>();
            for (String principal : KafkaAcls.principals()) {
                existing.addAll(admin.describeAcls(principalFilter(principal)).values().get());
            }
            List<AclBindingFilter> stale = existing.stream().filter(binding -> !wanted.contains(binding))
                    .map(AclBinding::toFilter).toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale).all().get();
            }
            List<AclBinding> missing = wanted.stream().filter(binding -> !existing.contains(binding)).toList();
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get();
            }
            awaitPropagation("the platform ACLs", () -> {
                Set<AclBinding> now = new HashSet<>();
                for (String principal : KafkaAcls.principals()) {
                    now.addAll(admin.describeAcls(principalFilter(principal)).values().get());
                }
                return now.equals(wanted);
            });
            log.info("Kafka ACLs applied: {} bindings for {}", wanted.size(), KafkaAcls.principals());
        } catch (Exception e) {
            throw failure("cannot apply the platform ACLs", e);
        }
    }

    /** {@link KafkaAcls} as the broker's ACL bindings: users {@code User:<principal>}, every host, allow. */
    public static List<AclBinding> platformAclBindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (KafkaAcls.TopicGrant grant : KafkaAcls.topicGrants()) {
            bindings.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, grant.topic(), PatternType.LITERAL),
                    allow(grant.principal(), AclOperation.valueOf(grant.operation().name()))));
        }
        for (KafkaAcls.GroupGrant grant : KafkaAcls.groupGrants()) {
            bindings.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, grant.group(),
                    grant.prefixed() ? PatternType.PREFIXED : PatternType.LITERAL),
                    allow(grant.principal(), AclOperation.READ)));
        }
        return bindings;
    }

    private static AccessControlEntry allow(String principal, AclOperation operation) {
        return new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW);
    }

    private static AclBindingFilter principalFilter(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter("User:" + principal,
                null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void awaitPropagation(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + PROPAGATION_TIMEOUT.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not reach the broker within " + PROPAGATION_TIMEOUT);
            }
            sleep(100);
        }
    }

    private void requireSasl() {
        if (sasl == null) {
            throw new IllegalStateException("this broker runs without SASL; construct it with LocalKafkaBroker.Sasl");
        }
    }

    private static RuntimeException failure(String message, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new IllegalStateException(message + ": " + cause, cause);
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Formats the storage on first use, starts the broker and waits until it accepts connections. */
    public synchronized LocalKafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        try {
            Path config = writeConfig();
            if (!Files.exists(dataDir.resolve("logs/meta.properties"))) {
                format(config);
            }
            process = javaProcess(List.of("kafka.Kafka", config.toString()))
                    .redirectOutput(dataDir.resolve("broker.log").toFile())
                    .redirectErrorStream(true)
                    .start();
            awaitListening();
            log.info("Kafka broker listening on {} (data in {})", bootstrapServers(), dataDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local Kafka broker", e);
        }
    }

    /** Ends the broker process abruptly (SIGKILL), as a crash would; the data stays. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor(process);
            process = null;
        }
    }

    /** Stops the broker cleanly (SIGTERM, controlled shutdown). */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            if (!waitFor(process)) {
                process.destroyForcibly();
                waitFor(process);
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private Path writeConfig() throws IOException {
        Files.createDirectories(dataDir);
        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        config.setProperty("controller.listener.names", "CONTROLLER");
        if (sasl == null) {
            config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            saslConfig(config);
        }
        config.setProperty("log.dirs", dataDir.resolve("logs").toString());
        config.setProperty("num.partitions", Integer.toString(defaultPartitions));
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = dataDir.resolve("server.properties");
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        try {
            // It holds the admin password in the SASL mode.
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's default access control applies.
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "written by LocalKafkaBroker");
        }
        return file;
    }

    /**
     * Three listeners, all SASL_PLAINTEXT on 127.0.0.1: CLIENT (SCRAM-SHA-256, the port clients are given), INTERNAL
     * (PLAIN, only the admin; the inter-broker listener and where {@link #adminConfig} connects) and CONTROLLER
     * (PLAIN, only the admin). SCRAM is kept off the controller listener: the controller would need credentials
     * from the metadata log it is still loading.
     */
    private void saslConfig(Properties config) {
        config.setProperty("listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:"
                + internalPort);
        config.setProperty("listener.security.protocol.map",
                "CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        config.setProperty("inter.broker.listener.name", "INTERNAL");
        config.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        config.setProperty("sasl.mechanism.controller.protocol", "PLAIN");
        config.setProperty("listener.name.client.sasl.enabled.mechanisms", SCRAM);
        config.setProperty("listener.name.client.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        // The broker is both the server and, towards itself, the client of these two: user_admin is what it
        // accepts, username/password what it presents.
        String password = KafkaClientSecurity.jaasQuoted(sasl.adminPassword());
        String adminJaas = PLAIN_LOGIN + " required username=" + KafkaClientSecurity.jaasQuoted(ADMIN_USER)
                + " password=" + password + " user_" + ADMIN_USER + "=" + password + ";";
        for (String listener : List.of("internal", "controller")) {
            config.setProperty("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
            config.setProperty("listener.name." + listener + ".plain.sasl.jaas.config", adminJaas);
        }
        config.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.setProperty("allow.everyone.if.no.acl.found", "false");
        config.setProperty("super.users", "User:" + ADMIN_USER);
    }

    /** A stable cluster id per data directory, so a restart formats nothing. */
    private String clusterId() throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile).trim();
        }
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            // One id in 64 starts with '-', which the storage tool reads as an option (Kafka's own Uuid skips them).
        } while (id.startsWith("-"));
        Files.writeString(idFile, id);
        return id;
    }

    /**
     * Formats the storage. Tried twice: once in a full CI run the formatting JVM exited non-zero
     * for a reason its log did not keep; a second, identical run succeeded.
     */
    private void format(Path config) throws IOException {
        List<String> command = List.of("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
                config.toString(), "--standalone", "--ignore-formatted");
        try {
            runToCompletion(command, "format");
        } catch (IOException first) {
            log.warn("Kafka storage format failed, trying once more: {}", first.getMessage());
            runToCompletion(command, "format");
        }
    }

    /**
     * The children's logging: without a configuration of their own they would take logback's default, everything at
     * DEBUG, where Kafka's request logger prints every request in full, SCRAM credential changes (salt and salted
     * password) included.
     */
    private Path logbackConfig() throws IOException {
        Path file = dataDir.resolve("logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} -- %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.request.logger" level="WARN"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        return file;
    }

    private ProcessBuilder javaProcess(List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dlogback.configurationFile=" + logbackConfig());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command);
    }

    private void runToCompletion(List<String> mainAndArgs, String what) throws IOException {
        Process tool = javaProcess(mainAndArgs).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve(what + ".log").toFile()).start();
        try {
            if (!tool.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || tool.exitValue() != 0) {
                tool.destroyForcibly();
                throw new IOException("Kafka storage " + what + " failed: " + tail(dataDir.resolve(what + ".log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during Kafka storage " + what, e);
        }
    }

    /** The last lines of a child's log, so a failure explains itself even after its directory is gone. */
    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + ": "
                        + tail(dataDir.resolve("broker.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IOException("Kafka broker did not listen on " + bootstrapServers() + " within " + START_TIMEOUT);
    }

    private static boolean waitFor(Process process) {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
