/** The process executor: each attempt as a child JVM running {@link io.recap.orchestrator.trainer.TrainerMain}. */
package io.recap.orchestrator.executor.process;
