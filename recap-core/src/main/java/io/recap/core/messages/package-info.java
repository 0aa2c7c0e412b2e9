/** Versioned Kafka message records, their topics, and the JSON codec that validates them. */
package io.recap.core.messages;
