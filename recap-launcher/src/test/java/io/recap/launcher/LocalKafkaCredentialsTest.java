package io.recap.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.recap.core.kafka.KafkaAcls;
import io.recap.core.kafka.KafkaClientSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaCredentialsTest {

    @TempDir
    Path data;

    @Test
    void theFirstRunMakesAnOwnerOnlyPasswordFilePerUserAndLaterRunsKeepThem() throws Exception {
        LocalKafkaCredentials first = LocalKafkaCredentials.ensure(data);

        assertThat(first.servicePasswords()).containsOnlyKeys(KafkaAcls.principals());
        for (String user : KafkaAcls.principals()) {
            Path file = data.resolve("security/kafka-" + user + ".password");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file).strip()).isEqualTo(first.servicePasswords().get(user));
        }
        assertThat(first.servicePasswords().values()).doesNotHaveDuplicates().doesNotContain(first.adminPassword());

        LocalKafkaCredentials second = LocalKafkaCredentials.ensure(data);
        assertThat(second.servicePasswords()).isEqualTo(first.servicePasswords());
        assertThat(second.adminPassword()).isEqualTo(first.adminPassword());
    }

    @Test
    void aDeletedPasswordFileIsMadeAgainWithANewPasswordAndTheOthersStay() throws Exception {
        LocalKafkaCredentials first = LocalKafkaCredentials.ensure(data);
        Files.delete(data.resolve("security/kafka-trainer.password"));

        LocalKafkaCredentials second = LocalKafkaCredentials.ensure(data);

        assertThat(second.servicePasswords().get(KafkaAcls.TRAINER))
                .isNotEqualTo(first.servicePasswords().get(KafkaAcls.TRAINER));
        assertThat(second.servicePasswords().get(KafkaAcls.ORCHESTRATOR))
                .isEqualTo(first.servicePasswords().get(KafkaAcls.ORCHESTRATOR));
    }

    @Test
    void aServiceIsGivenItsPasswordFileNeverThePasswordAndAuthenticatesAsItself() {
        LocalKafkaCredentials credentials = LocalKafkaCredentials.ensure(data);

        Map<String, String> variables = credentials.clientVariables(KafkaAcls.RELABEL_WORKER);

        assertThat(variables.values()).doesNotContain(credentials.servicePasswords().get(KafkaAcls.RELABEL_WORKER));
        assertThat(KafkaClientSecurity.clientProperties(variables).get("sasl.jaas.config"))
                .contains("username=\"relabel-worker\"")
                .contains("password=\"" + credentials.servicePasswords().get(KafkaAcls.RELABEL_WORKER) + "\"");
    }
}
