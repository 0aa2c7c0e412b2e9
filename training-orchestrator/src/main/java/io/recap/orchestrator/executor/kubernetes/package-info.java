/** The Kubernetes executor: one batch/v1 Job per attempt, followed by an informer (fabric8). */
package io.recap.orchestrator.executor.kubernetes;
