package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobState;

/** The job has already reached a terminal state, so it cannot be cancelled. */
public class JobFinishedException extends RuntimeException {

    private final JobState state;

    public JobFinishedException(String jobId, JobState state) {
        super("job '" + jobId + "' is already " + state);
        this.state = state;
    }

    public JobState state() {
        return state;
    }
}
