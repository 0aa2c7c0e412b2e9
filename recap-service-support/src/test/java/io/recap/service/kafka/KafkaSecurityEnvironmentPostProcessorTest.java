package io.recap.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** Through a real SpringApplication start, so the registration in spring.factories is what is tested. */
class KafkaSecurityEnvironmentPostProcessorTest {

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void saslVariablesBecomeSpringKafkaAndBinderClientSettings() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("worker.password"), "s3cret\n");

        ConfigurableEnvironment environment = start("--KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
                "--KAFKA_SASL_USERNAME=relabel-worker", "--KAFKA_SASL_PASSWORD_FILE=" + passwordFile);

        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"relabel-worker\""
                + " password=\"s3cret\";";
        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_PLAINTEXT");
        assertThat(environment.getProperty("spring.kafka.properties.sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
        assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config")).isEqualTo(jaas);
        assertThat(environment.getProperty("spring.cloud.stream.kafka.binder.configuration.security.protocol"))
                .isEqualTo("SASL_PLAINTEXT");
        assertThat(environment.getProperty("spring.cloud.stream.kafka.binder.configuration.sasl.jaas.config"))
                .isEqualTo(jaas);
    }

    @Test
    void withoutVariablesNothingIsAdded() {
        ConfigurableEnvironment environment = start();

        assertThat(environment.getPropertySources().contains(KafkaSecurityEnvironmentPostProcessor.SOURCE_NAME))
                .isFalse();
        assertThat(environment.getProperty("spring.kafka.security.protocol")).isNull();
    }

    @Test
    void anExplicitSpringPropertyWinsOverTheDerivedOne() {
        ConfigurableEnvironment environment = start("--KAFKA_SECURITY_PROTOCOL=SASL_SSL",
                "--KAFKA_SASL_USERNAME=orchestrator", "--KAFKA_SASL_PASSWORD=p",
                "--spring.kafka.properties.sasl.jaas.config=explicit");

        assertThat(environment.getProperty("spring.kafka.properties.sasl.jaas.config")).isEqualTo("explicit");
        assertThat(environment.getProperty("spring.kafka.security.protocol")).isEqualTo("SASL_SSL");
    }

    @Test
    void saslWithoutAPasswordStopsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> start("--KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT", "--KAFKA_SASL_USERNAME=trainer"))
                .hasMessageContaining("KAFKA_SASL_PASSWORD");
    }

    private static ConfigurableEnvironment start(String... args) {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(Map.of("spring.main.banner-mode", "off",
                "spring.autoconfigure.exclude", "*"));
        try (ConfigurableApplicationContext context = application.run(args)) {
            return context.getEnvironment();
        }
    }
}
