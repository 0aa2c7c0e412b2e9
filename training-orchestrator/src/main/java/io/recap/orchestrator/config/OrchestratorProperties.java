package io.recap.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the orchestrator itself ({@code recap.orchestrator.*}).
 *
 * @param store root of the shared store: model versions, dataset snapshots, checkpoints, inline images
 * @param maxAttempts attempts a job gets in all (first run included) when failures are transient
 * @param retryBackoff wait before a transient failure is retried
 * @param logTailLines log lines returned with a job
 * @param logKeepLines log lines kept per job once it has finished
 * @param snapshotShardSize records per JSONL shard of a dataset snapshot
 * @param eventSendTimeout how long a synchronous Kafka publish (checkpoints, model events) may take
 * @param topicPartitions partitions of the RECAP topics this service creates when they are missing; at least the
 *        relabel worker's {@code min-partition-count} (4), or the worker adds partitions after this service's
 *        consumers were assigned theirs, and results on the new ones wait for a metadata refresh
 * @param listenerRetryMaxInterval the longest wait between two deliveries of a record whose processing failed for
 *        a reason that may pass (the database down); such a record is retried without limit, the wait growing to this
 */
@ConfigurationProperties("recap.orchestrator")
public record OrchestratorProperties(
        @DefaultValue("recap-data/store") Path store,
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("5s") Duration retryBackoff,
        @DefaultValue("50") int logTailLines,
        @DefaultValue("1000") int logKeepLines,
        @DefaultValue("10000") int snapshotShardSize,
        @DefaultValue("10s") Duration eventSendTimeout,
        @DefaultValue("4") int topicPartitions,
        @DefaultValue("10s") Duration listenerRetryMaxInterval) {

    public OrchestratorProperties {
        if (maxAttempts < 1 || logTailLines < 1 || logKeepLines < logTailLines || snapshotShardSize < 1
                || topicPartitions < 1 || listenerRetryMaxInterval.isNegative() || listenerRetryMaxInterval.isZero()) {
            throw new IllegalArgumentException("recap.orchestrator: max-attempts, log-tail-lines, snapshot-shard-size, "
                    + "topic-partitions and listener-retry-max-interval must be positive and "
                    + "log-keep-lines >= log-tail-lines");
        }
    }
}
