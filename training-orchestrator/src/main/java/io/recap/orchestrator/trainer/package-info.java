/**
 * The trainer entry point of a Kubernetes Job: {@link io.recap.orchestrator.trainer.TrainerMain} reads the attempt
 * from its environment, runs the job kind's training task and reports on {@code recap.training.events}.
 */
package io.recap.orchestrator.trainer;
