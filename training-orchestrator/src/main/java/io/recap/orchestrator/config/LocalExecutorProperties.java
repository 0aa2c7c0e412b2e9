package io.recap.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The in-process executor ({@code recap.executor.local.*}).
 *
 * @param threads most tasks running at once in this process (the pools' slots decide what is started)
 * @param progressInterval PROGRESS events are published at most this often per job (checkpoints, metrics
 *        and the final step always are)
 * @param shutdownGrace how long running tasks get to stop when the application shuts down
 * @param checkpointSettle how long the end of an attempt waits for its last checkpoint event to come back
 *        from Kafka and be recorded, so that a retry resumes from it (and a successful one for its last
 *        progress event, so that a finished job shows its final progress)
 */
@ConfigurationProperties("recap.executor.local")
public record LocalExecutorProperties(
        @DefaultValue("2") int threads,
        @DefaultValue("500ms") Duration progressInterval,
        @DefaultValue("10s") Duration shutdownGrace,
        @DefaultValue("10s") Duration checkpointSettle) {

    public LocalExecutorProperties {
        if (threads < 1) {
            throw new IllegalArgumentException("recap.executor.local.threads must be >= 1");
        }
    }
}
