package io.recap.core.batch;

import java.time.Duration;

/**
 * How a {@link DynamicBatcher} forms its batches.
 *
 * @param maxBatchSize most units (images, requests: what {@link BatchHandler#weight} counts) in one batch
 * @param maxBatchDelay how long the first request of a batch waits for company when others are queued or in flight
 * @param maxFillWait the most a batch may wait for as many requests as recent batches held (clients in a closed loop
 *     come back together); the wait is also at most a quarter of the previous pass; {@code maxBatchDelay} or less
 *     turns this off
 * @param queueCapacity requests waiting beyond this are refused
 */
public record BatchSettings(int maxBatchSize, Duration maxBatchDelay, Duration maxFillWait, int queueCapacity) {

    public BatchSettings {
        if (maxBatchSize < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("batch size and queue capacity must be positive");
        }
        if (maxBatchDelay.isNegative() || maxFillWait.isNegative()) {
            throw new IllegalArgumentException("batch delays must not be negative");
        }
    }
}
