/** The model registry: versions from the model store, promotion and its events. */
package io.recap.orchestrator.registry;
