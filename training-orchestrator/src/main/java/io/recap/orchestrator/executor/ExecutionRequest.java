package io.recap.orchestrator.executor;

import io.recap.core.domain.JobKind;
import io.recap.orchestrator.jobs.JobSpec;
import java.util.Map;

/**
 * One attempt to run.
 *
 * @param jobId the job
 * @param attempt 1, 2, ...
 * @param spec the validated spec
 * @param params free-form overrides from the request
 * @param snapshotKey store key of the dataset snapshot ({@code snapshots/{id}}), or null
 * @param checkpointKey store key of the job's checkpoint directory ({@code checkpoints/{jobId}})
 * @param resumeStep step of the checkpoint to resume from, or null to start from scratch
 * @param resumeCheckpointKey store key of that checkpoint, or null
 */
public record ExecutionRequest(String jobId, int attempt, JobSpec spec, Map<String, String> params, String snapshotKey,
        String checkpointKey, Long resumeStep, String resumeCheckpointKey) {

    public JobKind kind() {
        return spec.kind();
    }
}
