package io.recap.orchestrator.jobs;

/** No job with that id. */
public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String jobId) {
        super("job '" + jobId + "' does not exist");
    }
}
