/**
 * Kafka authentication of the Spring services from the platform's {@code KAFKA_SECURITY_PROTOCOL} and
 * {@code KAFKA_SASL_*} variables ({@link io.recap.core.kafka.KafkaClientSecurity}).
 */
package io.recap.service.kafka;
