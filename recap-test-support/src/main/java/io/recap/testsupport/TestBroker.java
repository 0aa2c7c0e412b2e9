package io.recap.testsupport;

import io.recap.broker.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Kafka broker in a child JVM, for tests that kill it, restart it or need it to authenticate,
 * which {@code @EmbeddedKafka} cannot. Secured, it takes SASL/SCRAM logins for the given principals and allows
 * only the platform's ACLs, so each service is tested with exactly its own grants.
 *
 * @param broker the broker itself (kill, start, stop)
 * @param passwords principal to SCRAM password; empty for a plain broker
 */
public record TestBroker(LocalKafkaBroker broker, Map<String, String> passwords) implements AutoCloseable {

    private static final String ADMIN_PASSWORD = "admin-password";

    public TestBroker {
        passwords = Map.copyOf(passwords);
    }

    /** A started broker without authentication; topics get {@code partitions} partitions unless asked otherwise. */
    public static TestBroker plain(Path dataDir, int partitions) {
        return new TestBroker(new LocalKafkaBroker(dataDir, 0, partitions).start(), Map.of());
    }

    /** A started broker that authenticates {@code passwords}' principals and allows only the platform's ACLs. */
    public static TestBroker secured(Path dataDir, int partitions, Map<String, String> passwords) {
        LocalKafkaBroker broker = new LocalKafkaBroker(dataDir, 0, partitions, new LocalKafkaBroker.Sasl(ADMIN_PASSWORD))
                .start();
        broker.upsertScramUsers(passwords);
        broker.applyPlatformAcls();
        return new TestBroker(broker, passwords);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** What a Kafka client needs to connect as {@code principal}. */
    public Map<String, Object> clientConfig(String principal) {
        return broker.clientConfig(principal, password(principal));
    }

    /** What a Kafka client needs to connect as the super user, which no ACL limits. */
    public Map<String, Object> adminConfig() {
        return broker.adminConfig();
    }

    /** The command-line arguments a RECAP service reads its Kafka login from, as {@code principal}. */
    public List<String> serviceArgs(String principal) {
        return List.of("--KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT", "--KAFKA_SASL_USERNAME=" + principal,
                "--KAFKA_SASL_PASSWORD=" + password(principal));
    }

    private String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no password for " + principal + " on this broker");
        }
        return password;
    }

    @Override
    public void close() {
        broker.close();
    }
}
