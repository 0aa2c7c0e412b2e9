package io.recap.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Defaults of RELABEL jobs ({@code recap.orchestrator.relabel.*}); a job's {@code params} may override each
 * ({@code batchSize}, {@code pollInterval}, {@code stallTimeout}, and {@code only}, which has no site default).
 *
 * @param batchSize images per {@code RelabelRequest}; the worker captions a batch in forward passes of its
 *        {@code recap.relabel.inference-batch-size} (32), so a multiple of that wastes nothing
 * @param pollInterval how often the job looks at the catalog for results
 * @param stallTimeout the job fails (transiently, so it is retried) when no new result arrived for this long
 * @param publishTimeout how long publishing all the requests of a job may take
 */
@ConfigurationProperties("recap.orchestrator.relabel")
public record RelabelProperties(
        @DefaultValue("32") int batchSize,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("5m") Duration stallTimeout,
        @DefaultValue("60s") Duration publishTimeout) {

    public RelabelProperties {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("recap.orchestrator.relabel.batch-size must be 1..1000");
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || stallTimeout.compareTo(pollInterval) < 0
                || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("recap.orchestrator.relabel: poll-interval and publish-timeout must be "
                    + "positive and stall-timeout at least poll-interval");
        }
    }
}
