package io.recap.caption.inference;

/** The batching queue is at capacity; the client should retry later. */
public class QueueFullException extends RuntimeException {

    public QueueFullException(int capacity) {
        super("caption queue is full (" + capacity + " requests waiting)");
    }
}
