/** Configuration properties and bean wiring of the orchestrator. */
package io.recap.orchestrator.config;
