/** Publishing RECAP messages to Kafka. */
package io.recap.orchestrator.events;
