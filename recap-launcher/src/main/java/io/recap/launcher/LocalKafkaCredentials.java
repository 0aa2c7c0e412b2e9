package io.recap.launcher;

import io.recap.core.kafka.KafkaAcls;
import io.recap.core.kafka.KafkaClientSecurity;
import io.recap.core.security.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local mode's Kafka passwords: one file per user, {@code security/kafka-<user>.password} under the data
 * directory (mode 0600, the password alone), for the broker's super user {@code admin} and for each service principal
 * of {@link KafkaAcls}. Made at the first run and kept after it, so the broker's data directory and its SCRAM users
 * stay in step across runs; delete a file to have a new password made and set at the next start (the super user's is
 * read by the broker from its own configuration, so it may change too). The services are given the file's path,
 * never the password.
 */
final class LocalKafkaCredentials {

    static final String ADMIN = "admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, String> passwords;

    private LocalKafkaCredentials(Path dir, Map<String, String> passwords) {
        this.dir = dir;
        this.passwords = passwords;
    }

    /** Reads the passwords under {@code data}, making the missing ones. */
    static LocalKafkaCredentials ensure(Path data) {
        Path dir = data.resolve("security");
        Map<String, String> passwords = new LinkedHashMap<>();
        try {
            passwords.put(ADMIN, passwordIn(file(dir, ADMIN)));
            for (String principal : KafkaAcls.principals()) {
                passwords.put(principal, passwordIn(file(dir, principal)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the local Kafka passwords under " + dir, e);
        }
        return new LocalKafkaCredentials(dir, passwords);
    }

    private static String passwordIn(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!existing.isEmpty()) {
                return existing;
            }
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        // base64url: nothing a JAAS string or a Spring placeholder would read specially.
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKeys.writeSecret(file, password);
        return password;
    }

    private static Path file(Path dir, String user) {
        return dir.resolve("kafka-" + user + ".password");
    }

    String adminPassword() {
        return passwords.get(ADMIN);
    }

    /** The service users' SCRAM passwords, user name to password. */
    Map<String, String> servicePasswords() {
        Map<String, String> services = new LinkedHashMap<>(passwords);
        services.remove(ADMIN);
        return services;
    }

    Path passwordFile(String user) {
        return file(dir, user);
    }

    /** The variables that make a service authenticate as {@code user} (SASL/SCRAM, password from its file). */
    Map<String, String> clientVariables(String user) {
        if (!passwords.containsKey(user) || user.equals(ADMIN)) {
            throw new IllegalArgumentException("no service user " + user);
        }
        return KafkaClientSecurity.scramVariables(user, passwordFile(user));
    }
}
