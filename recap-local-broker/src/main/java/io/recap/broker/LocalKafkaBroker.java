package io.recap.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), started as a
 * child JVM with Kafka's own {@code kafka.Kafka} main and its data kept in {@code dataDir}. Because
 * the data survives the process, {@link #kill()} followed by {@link #start()} is a real broker
 * restart: topics, committed offsets and unconsumed records are still there.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final int defaultPartitions;
    private Process process;

    /**
     * @param dataDir where the log segments and metadata live (created and formatted on first start)
     * @param port the client port on 127.0.0.1; 0 picks a free one once, kept across restarts
     * @param defaultPartitions partitions of topics created on first use
     */
    public LocalKafkaBroker(Path dataDir, int port, int defaultPartitions) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
        this.defaultPartitions = defaultPartitions;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
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
        config.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("log.dirs", dataDir.resolve("logs").toString());
        config.setProperty("num.partitions", Integer.toString(defaultPartitions));
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        Path file = dataDir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "written by LocalKafkaBroker");
        }
        return file;
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

    private ProcessBuilder javaProcess(List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
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
