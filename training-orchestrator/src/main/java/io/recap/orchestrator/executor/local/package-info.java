/** The in-process executor: {@link io.recap.orchestrator.task.TrainingTask}s on a bounded thread pool. */
package io.recap.orchestrator.executor.local;
