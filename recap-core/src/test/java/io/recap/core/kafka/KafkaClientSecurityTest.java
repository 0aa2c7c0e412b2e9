package io.recap.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientSecurityTest {

    @TempDir
    Path dir;

    @Test
    void withoutVariablesOrWithPlaintextAClientGetsNoSecuritySettings() {
        assertThat(KafkaClientSecurity.clientProperties(Map.of())).isEmpty();
        assertThat(KafkaClientSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "plaintext",
                "KAFKA_SASL_USERNAME", "ignored"))).isEmpty();
    }

    @Test
    void saslDefaultsToScramSha256WithTheUserAndPassword() {
        Map<String, String> properties = KafkaClientSecurity.clientProperties(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "trainer",
                "KAFKA_SASL_PASSWORD", "secret"));

        assertThat(properties).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"trainer\" password=\"secret\";");
    }

    @Test
    void aPasswordFileWinsOverThePasswordAndLosesOnlyItsTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), " from file \n");

        Map<String, String> properties = KafkaClientSecurity.clientProperties(Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "KAFKA_SASL_MECHANISM", "scram-sha-512",
                "KAFKA_SASL_USERNAME", "orchestrator", "KAFKA_SASL_PASSWORD", "from env",
                "KAFKA_SASL_PASSWORD_FILE", file.toString(), "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ca.crt",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"));

        assertThat(properties.get("sasl.jaas.config")).contains("password=\" from file \";");
        assertThat(properties).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/ca.crt").containsEntry("ssl.truststore.type", "PEM");
    }

    @Test
    void quotesAndBackslashesInAPasswordAreEscapedForJaas() {
        assertThat(KafkaClientSecurity.jaasQuoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void saslWithoutAUserOrPasswordOrWithAnUnknownMechanismIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> KafkaClientSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT", "KAFKA_SASL_PASSWORD", "p"))).hasMessageContaining("KAFKA_SASL_USERNAME");
        assertThatThrownBy(() -> KafkaClientSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u"))).hasMessageContaining("KAFKA_SASL_PASSWORD");
        assertThatThrownBy(() -> KafkaClientSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL",
                "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME", "u", "KAFKA_SASL_PASSWORD", "p",
                "KAFKA_SASL_MECHANISM", "GSSAPI"))).hasMessageContaining("KAFKA_SASL_MECHANISM");
        assertThatThrownBy(() -> KafkaClientSecurity.clientProperties(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS")))
                .hasMessageContaining("KAFKA_SECURITY_PROTOCOL");
    }

    @Test
    void scramVariablesReadBackAsTheSameClientSettings() throws Exception {
        Path file = Files.writeString(dir.resolve("trainer.password"), "pw\n");

        assertThat(KafkaClientSecurity.clientProperties(KafkaClientSecurity.scramVariables("trainer", file)))
                .isEqualTo(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-256",
                        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"trainer\" password=\"pw\";"));
    }
}
