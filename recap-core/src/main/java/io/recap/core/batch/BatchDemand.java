package io.recap.core.batch;

import java.util.Arrays;

/**
 * How many requests the next batch can expect, and how long it may wait for them.
 *
 * <p>While a batch holds fewer requests than the largest of the last {@value #WINDOW} batches,
 * it may wait for them up to a quarter of the previous pass's time (at least
 * {@code maxBatchDelay}, at most {@code maxFillWait}), so the wait never costs more than a
 * quarter of a pass. Clients that wait for their answer before asking again come back together
 * after each pass, but on a busy machine not within a few milliseconds: without this, 32 such
 * clients split into two cohorts that stay out of step for good, and every pass runs half a
 * batch. With one client the largest recent batch is 1, so nobody waits for company that is not
 * coming (and {@link DynamicBatcher} skips the batch delay too when nothing else is queued or in
 * flight); when demand falls, the first fill wait that comes up short resets the estimate. Updated
 * by the batching thread only.
 */
final class BatchDemand {

    /** Batches remembered when estimating how many requests the next one can expect. */
    static final int WINDOW = 8;

    private final int maxBatchSize;
    private final long maxBatchDelayNanos;
    private final long maxFillWaitNanos;
    private final int[] recentBatchSizes = new int[WINDOW];
    private int recentIndex;
    private volatile long lastPassNanos;

    BatchDemand(int maxBatchSize, long maxBatchDelayNanos, long maxFillWaitNanos) {
        this.maxBatchSize = maxBatchSize;
        this.maxBatchDelayNanos = maxBatchDelayNanos;
        this.maxFillWaitNanos = maxFillWaitNanos;
    }

    /** How long a short batch may wait for expected company: a quarter of the last pass, bounded. */
    long fillWaitNanos() {
        return Math.max(maxBatchDelayNanos, Math.min(maxFillWaitNanos, lastPassNanos / 4));
    }

    /** How long the first request waits for company once the expected batch is there. */
    long batchDelayNanos() {
        return maxBatchDelayNanos;
    }

    void rememberPass(long nanos) {
        lastPassNanos = nanos;
    }

    /** The largest of the recent batches: how many requests came together lately. */
    int expectedBatchSize() {
        int expected = 1;
        for (int size : recentBatchSizes) {
            expected = Math.max(expected, size);
        }
        return Math.min(expected, maxBatchSize);
    }

    void rememberBatchSize(int size) {
        recentBatchSizes[recentIndex] = size;
        recentIndex = (recentIndex + 1) % WINDOW;
    }

    /**
     * A batch waited the whole fill wait and still came up short: the clients that made the recent batches are not
     * coming back together any more, so the estimate starts again from this batch instead of making the next
     * batches wait too.
     */
    void rememberShortfall(int size) {
        Arrays.fill(recentBatchSizes, 0);
        rememberBatchSize(size);
    }
}
