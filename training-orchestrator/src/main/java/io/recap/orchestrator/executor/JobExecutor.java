package io.recap.orchestrator.executor;

import io.recap.orchestrator.jobs.Job;

/**
 * Runs job attempts somewhere (this process, a Kubernetes cluster). Executors report how each attempt
 * ended to {@link io.recap.orchestrator.jobs.JobLifecycle#attemptFinished}; progress, checkpoints and metrics
 * come from the trainer as {@code recap.training.events}, whichever executor runs it.
 */
public interface JobExecutor {

    /** The name pools refer to ({@code recap.scheduling.executors}): {@code local}, {@code kubernetes}. */
    String name();

    /**
     * Starts an attempt without waiting for it to finish.
     *
     * @return the executor's handle of the attempt (e.g. the Kubernetes Job name), or null
     * @throws ExecutorStartException if the attempt could not be started
     */
    String start(ExecutionRequest request) throws ExecutorStartException;

    /** Stops the attempt if it is still running; does nothing otherwise. */
    void cancel(String jobId, int attempt);

    /**
     * After an orchestrator restart, for a job this executor was running: true if the attempt is still
     * under way and its outcome will be reported; false if it is gone and must be started again.
     */
    boolean reattach(Job job);
}
