package io.recap.core.batch;

/** The batching queue is at capacity; nothing was queued and the client should retry later. */
public class QueueFullException extends RuntimeException {

    public QueueFullException(int capacity) {
        super("the queue is full (" + capacity + " requests waiting)");
    }
}
