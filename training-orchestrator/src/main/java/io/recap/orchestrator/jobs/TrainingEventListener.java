package io.recap.orchestrator.jobs;

import io.recap.core.messages.MessageCodec;
import io.recap.core.messages.Topics;
import io.recap.core.messages.TrainingEvent;
import io.recap.orchestrator.metrics.OrchestratorMetrics;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Consumes {@code recap.training.events} from every trainer (local tasks and Kubernetes pods alike) and
 * applies them to the jobs: progress, checkpoints and metrics idempotently by (job, step); events of an attempt
 * that is no longer the job's current one are dropped. A malformed event is thrown to the container's error
 * handler, which dead-letters it ({@code recap.training.events.dlq}); a database error is retried there until it
 * goes through.
 */
public class TrainingEventListener {

    private static final Logger log = LoggerFactory.getLogger(TrainingEventListener.class);

    private final JobService jobs;
    private final MessageCodec codec;
    private final OrchestratorMetrics metrics;

    public TrainingEventListener(JobService jobs, MessageCodec codec, OrchestratorMetrics metrics) {
        this.jobs = jobs;
        this.codec = codec;
        this.metrics = metrics;
    }

    @KafkaListener(id = "recap-orchestrator-training-events", topics = Topics.TRAINING_EVENTS)
    public void onEvent(ConsumerRecord<String, byte[]> record) {
        TrainingEvent event = codec.decode(record.value(), TrainingEvent.class);
        JobService.EventOutcome outcome = jobs.apply(event);
        if (outcome == JobService.EventOutcome.UNKNOWN_JOB) {
            log.warn("training event for unknown job {} skipped", event.jobId());
        }
        metrics.message(Topics.TRAINING_EVENTS, outcome.name().toLowerCase(Locale.ROOT));
    }
}
