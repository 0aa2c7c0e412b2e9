package io.recap.orchestrator.task;

import io.recap.core.domain.JobKind;
import io.recap.orchestrator.jobs.JobSpec;

/**
 * SPI of the local executor: the work of one job kind, run in-process. Implementations are Spring
 * beans; {@link TrainingTaskRegistry} finds them, one per {@link JobKind}.
 *
 * <p>Contract:
 * <ul>
 * <li>{@code spec} is the validated spec of {@link #kind()} (cast it to its record, e.g.
 *     {@code (T2iFinetuneSpec) spec}).</li>
 * <li>Resume: if {@link TaskContext#lastCheckpoint()} is present, continue from that step rather than
 *     from 0. Write checkpoints under {@link TaskContext#checkpointDirectory()} and announce each with
 *     {@link TaskContext#checkpoint(long, java.nio.file.Path)} once it is complete on disk.</li>
 * <li>Report progress with {@link TaskContext#progress}; metrics with {@link TaskContext#metrics}.</li>
 * <li>Return normally for success. Throw {@link TransientTaskException} for a failure worth retrying
 *     (the job is retried from its last checkpoint, within the attempt budget); anything else fails the
 *     job with the exception's message as the reason.</li>
 * <li>Stop promptly when the thread is interrupted or {@link TaskContext#isCancelled()} turns true
 *     (cancellation, shutdown); {@link TaskContext#throwIfCancelled()} does both checks.</li>
 * </ul>
 */
public interface TrainingTask {

    JobKind kind();

    void run(JobSpec spec, TaskContext context) throws Exception;
}
