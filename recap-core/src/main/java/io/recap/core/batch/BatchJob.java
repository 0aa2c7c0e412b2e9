package io.recap.core.batch;

import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its input, the result its caller waits on, and the moment past which nobody waits any more.
 */
public record BatchJob<T, R>(T input, CompletableFuture<R> result, long deadlineNanos) {

    /** Whether the caller has given up or the deadline has passed: running it would be wasted work. */
    public boolean abandoned(long nowNanos) {
        return result.isDone() || nowNanos - deadlineNanos > 0;
    }
}
