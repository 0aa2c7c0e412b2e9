/**
 * Kafka access of the platform: which service principal may do what on which topic ({@link KafkaAcls}), and how a
 * client is configured to authenticate ({@link KafkaClientSecurity}). Plain data, no Kafka types, so the services,
 * the trainer, the launcher and the local broker share one definition.
 */
package io.recap.core.kafka;
