/**
 * The training-task SPI: {@link io.recap.orchestrator.task.TrainingTask} beans, one per job kind, run
 * by the local executor with a {@link io.recap.orchestrator.task.TaskContext}.
 */
package io.recap.orchestrator.task;
