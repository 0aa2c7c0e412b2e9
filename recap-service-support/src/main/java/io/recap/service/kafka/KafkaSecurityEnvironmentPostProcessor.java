package io.recap.service.kafka;

import io.recap.core.kafka.KafkaClientSecurity;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the platform's Kafka security variables ({@link KafkaClientSecurity}: {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_USERNAME}, {@code KAFKA_SASL_PASSWORD} or
 * {@code KAFKA_SASL_PASSWORD_FILE}, {@code KAFKA_SSL_TRUSTSTORE_*}) onto the clients Spring builds: Spring for Apache
 * Kafka's ({@code spring.kafka.security.protocol}, {@code spring.kafka.properties.*}) and the Kafka binder's
 * ({@code spring.cloud.stream.kafka.binder.configuration.*}, which its producers, consumers and topic provisioner
 * share). The trainer and the ingest CLI read the same variables, so a deployment sets one set of names everywhere.
 *
 * <p>The variables are read from the environment Spring sees (environment variables, system properties, command-line
 * arguments), and a password file is read here, once, at start: a rotated password needs a restart. The derived
 * properties sit below every other source, so a property set explicitly (say
 * {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}) still wins. Invalid variables stop the start with the variable's
 * name, before any client tries the broker. Spring resolves placeholders in property values, so a password given
 * this way must not contain {@code ${} (generated ones are base64url).
 */
public class KafkaSecurityEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "recapKafkaSecurity";

    private static final List<String> VARIABLES = List.of(KafkaClientSecurity.PROTOCOL, KafkaClientSecurity.MECHANISM,
            KafkaClientSecurity.USERNAME, KafkaClientSecurity.PASSWORD, KafkaClientSecurity.PASSWORD_FILE,
            KafkaClientSecurity.TRUSTSTORE_LOCATION, KafkaClientSecurity.TRUSTSTORE_TYPE);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, String> variables = new HashMap<>();
        for (String name : VARIABLES) {
            String value = environment.getProperty(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        Map<String, String> client = KafkaClientSecurity.clientProperties(variables);
        if (client.isEmpty()) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        client.forEach((key, value) -> {
            if (key.equals("security.protocol")) {
                properties.put("spring.kafka.security.protocol", value);
            } else {
                properties.put("spring.kafka.properties." + key, value);
            }
            properties.put("spring.cloud.stream.kafka.binder.configuration." + key, value);
        });
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
    }
}
