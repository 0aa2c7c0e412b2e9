package io.recap.core.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How every Kafka client of the platform authenticates, from the same variables: the orchestrator and the relabel
 * worker (through recap-service-support, which maps them onto {@code spring.kafka.*} and the binder's
 * configuration), the trainer and the ingest CLI (their plain producers).
 *
 * <ul>
 *   <li>{@value #PROTOCOL}: {@code PLAINTEXT} (the default), {@code SASL_PLAINTEXT}, {@code SASL_SSL} or
 *       {@code SSL};</li>
 *   <li>{@value #MECHANISM}: {@code SCRAM-SHA-256} (the default), {@code SCRAM-SHA-512} or {@code PLAIN};</li>
 *   <li>{@value #USERNAME} and either {@value #PASSWORD} or {@value #PASSWORD_FILE} (a file holding only the
 *       password, as a mounted Secret or the launcher's {@code recap-data/security/kafka-*.password} are); the file
 *       wins when both are set;</li>
 *   <li>{@value #TRUSTSTORE_LOCATION} and {@value #TRUSTSTORE_TYPE} (e.g. {@code PEM} for a Strimzi cluster CA
 *       certificate) for the TLS protocols.</li>
 * </ul>
 * A SASL protocol without a user name or password is refused here, at start, rather than by the broker later.
 */
public final class KafkaClientSecurity {

    public static final String PROTOCOL = "KAFKA_SECURITY_PROTOCOL";
    public static final String MECHANISM = "KAFKA_SASL_MECHANISM";
    public static final String USERNAME = "KAFKA_SASL_USERNAME";
    public static final String PASSWORD = "KAFKA_SASL_PASSWORD";
    public static final String PASSWORD_FILE = "KAFKA_SASL_PASSWORD_FILE";
    public static final String TRUSTSTORE_LOCATION = "KAFKA_SSL_TRUSTSTORE_LOCATION";
    public static final String TRUSTSTORE_TYPE = "KAFKA_SSL_TRUSTSTORE_TYPE";

    public static final String DEFAULT_MECHANISM = "SCRAM-SHA-256";

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private KafkaClientSecurity() {
    }

    /** Thrown for a combination of variables no client could connect with; names the variable. */
    public static final class InvalidKafkaSecurityException extends IllegalArgumentException {
        public InvalidKafkaSecurityException(String message) {
            super(message);
        }
    }

    /**
     * The Kafka client properties ({@code security.protocol}, {@code sasl.*}, {@code ssl.truststore.*}) the
     * variables in {@code env} ask for; empty when they ask for nothing (plain text, as before).
     */
    public static Map<String, String> clientProperties(Map<String, String> env) {
        String protocol = value(env, PROTOCOL);
        Map<String, String> properties = new LinkedHashMap<>();
        if (protocol == null) {
            return properties;
        }
        protocol = protocol.toUpperCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new InvalidKafkaSecurityException(PROTOCOL + " must be one of " + PROTOCOLS + " but was " + protocol);
        }
        if (protocol.equals("PLAINTEXT")) {
            return properties;
        }
        properties.put("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            String mechanism = value(env, MECHANISM);
            String username = value(env, USERNAME);
            if (username == null) {
                throw new InvalidKafkaSecurityException(PROTOCOL + "=" + protocol + " needs " + USERNAME);
            }
            properties.putAll(sasl(mechanism == null ? DEFAULT_MECHANISM : mechanism, username, password(env)));
        }
        String truststore = value(env, TRUSTSTORE_LOCATION);
        if (truststore != null) {
            properties.put("ssl.truststore.location", truststore);
            String type = value(env, TRUSTSTORE_TYPE);
            if (type != null) {
                properties.put("ssl.truststore.type", type);
            }
        }
        return properties;
    }

    /** {@code sasl.mechanism} and {@code sasl.jaas.config} of a user with a password. */
    public static Map<String, String> sasl(String mechanism, String username, String password) {
        String normalized = mechanism.trim().toUpperCase(Locale.ROOT);
        String module = switch (normalized) {
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            default -> throw new InvalidKafkaSecurityException(MECHANISM
                    + " must be SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN but was " + mechanism);
        };
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sasl.mechanism", normalized);
        properties.put("sasl.jaas.config", module + " required username=" + jaasQuoted(username) + " password="
                + jaasQuoted(password) + ";");
        return properties;
    }

    /** The variables that make a client authenticate as {@code username} over SASL/SCRAM with a password file. */
    public static Map<String, String> scramVariables(String username, Path passwordFile) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(PROTOCOL, "SASL_PLAINTEXT");
        env.put(MECHANISM, DEFAULT_MECHANISM);
        env.put(USERNAME, username);
        env.put(PASSWORD_FILE, passwordFile.toAbsolutePath().toString());
        return env;
    }

    /**
     * A JAAS option value in double quotes. Kafka reads the JAAS text with a {@link java.io.StreamTokenizer}, which
     * takes a backslash as an escape inside quotes, so a password may hold any character.
     */
    public static String jaasQuoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String password(Map<String, String> env) {
        String file = value(env, PASSWORD_FILE);
        if (file != null) {
            try {
                // Only the trailing newline an editor or `echo` adds is dropped; other spaces belong to the password.
                String password = Files.readString(Path.of(file), StandardCharsets.UTF_8).replaceAll("\\R+\\z", "");
                if (password.isEmpty()) {
                    throw new InvalidKafkaSecurityException(PASSWORD_FILE + " " + file + " is empty");
                }
                return password;
            } catch (IOException e) {
                throw new UncheckedIOException(PASSWORD_FILE + ": cannot read " + file, e);
            }
        }
        String password = env.get(PASSWORD);
        if (password == null || password.isEmpty()) {
            throw new InvalidKafkaSecurityException("a SASL protocol needs " + PASSWORD + " or " + PASSWORD_FILE);
        }
        return password;
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
