package io.recap.orchestrator.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.recap.core.domain.JobState;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import io.recap.orchestrator.support.OrchestratorIntegrationTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Training events name their attempt; the orchestrator applies only those of the job's current attempt. */
@ExtendWith(OutputCaptureExtension.class)
class StaleAttemptEventTests extends OrchestratorIntegrationTest {

    @Autowired
    JobService jobs;

    @Autowired
    OrchestratorMetrics metrics;

    @Test
    void anEventFromAttemptOneArrivingAfterTheJobMovedToAttemptTwoChangesNothing(CapturedOutput output)
            throws Exception {
        // Attempt 1 fails transiently after its first checkpoint; attempt 2 resumes and runs on long enough for the
        // test to finish while it is still RUNNING.
        String jobId = jobs.submit(new CaptionerFinetuneSpec("shapes-human-100", null, "smoke", null), 0, null,
                Map.of("simulate", true, "steps", 2000, "stepMillis", 20, "checkpointEvery", 2,
                        "transientFailures", 1)).jobId();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JobView job = jobs.get(jobId);
                return job.attempt() == 2 && !job.awaitingRetry() && job.progress() != null
                        && job.progress().done() > 2;
            });
            double staleBefore = metrics.messageCount(Topics.TRAINING_EVENTS, "stale_attempt");

            send(Topics.TRAINING_EVENTS, TrainingEvent.progress(jobId, 1, 1999, 2000, 0.5, null, null));
            send(Topics.TRAINING_EVENTS, TrainingEvent.checkpoint(jobId, 1, 1998, "checkpoints/" + jobId + "/late"));
            send(Topics.TRAINING_EVENTS, TrainingEvent.metrics(jobId, 1, 1998L, Map.of("late.metric", 1.0)));
            send(Topics.TRAINING_EVENTS, TrainingEvent.log(jobId, 1, "a line from the replaced attempt"));
            send(Topics.TRAINING_EVENTS, TrainingEvent.state(jobId, 1, JobState.FAILED, "the replaced attempt gave up"));
            // Same key, so same partition and in order: once this one is applied, the five above were handled.
            send(Topics.TRAINING_EVENTS, TrainingEvent.metrics(jobId, 2, null, Map.of("current.metric", 1.0)));
            await().atMost(Duration.ofSeconds(30)).until(() -> jobs.get(jobId).metrics().containsKey("current.metric"));

            JobView job = jobs.get(jobId);
            assertThat(job.state()).isEqualTo(JobState.RUNNING);
            assertThat(job.failureReason()).isNull();
            assertThat(job.attempt()).isEqualTo(2);
            assertThat(job.attempts()).hasSize(2);
            assertThat(job.attempts().get(1).outcome()).as("attempt 2 is still running").isNull();
            assertThat(job.progress().done()).isLessThan(1999);
            assertThat(job.lastCheckpoint().step()).isLessThan(1998);
            assertThat(job.metrics()).doesNotContainKey("late.metric");
            assertThat(job.logTail()).noneMatch(line -> line.contains("replaced attempt"));
            // Attempt 1's own last events may have been dropped too, so at least these five.
            assertThat(metrics.messageCount(Topics.TRAINING_EVENTS, "stale_attempt") - staleBefore)
                    .isGreaterThanOrEqualTo(5);
            assertThat(output.getOut()).contains("dropped STATE event of job " + jobId
                    + " from attempt 1: the job's current attempt is 2");
        } finally {
            if (!jobs.get(jobId).state().isTerminal()) {
                jobs.cancel(jobId); // frees the pool's only slot for the other tests of this context
            }
        }
    }
}
