package io.recap.core.batch;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * What a service plugs into a {@link DynamicBatcher}: how to run a group of compatible requests and how to tell
 * which requests are compatible and how much each one weighs.
 *
 * @param <T> a request's input
 * @param <R> its answer
 */
public interface BatchHandler<T, R> {

    /**
     * Runs one group of compatible requests and completes each one's result (as soon as it is known, if the group
     * finishes in parts). Results left incomplete when it returns or throws are failed with what it threw.
     */
    void handle(List<BatchJob<T, R>> group) throws Exception;

    /** Requests with equal keys may run in one group. */
    default Object compatibilityKey(T input) {
        return Boolean.TRUE;
    }

    /** Units of {@link BatchSettings#maxBatchSize} the request takes (an image count, say). */
    default int weight(T input) {
        return 1;
    }

    /** Why a request that waited past its deadline in the queue is refused. */
    default Throwable expired(T input) {
        return new TimeoutException("request waited past its deadline in the batch queue");
    }

    /** Why requests still queued when the batcher stops are refused. */
    default Throwable stopped() {
        return new IllegalStateException("the batcher is stopping");
    }
}
