package io.recap.core.image;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Bytes of decoded pixels that all images being decoded at once may take together. An image's cost is read from
 * its header before any pixel is decoded (width x height x {@link #BYTES_PER_PIXEL}: the decoder's raster plus the
 * RGB copy made from it); a decode waits until its cost fits, at most {@code maxWait}, and gives its bytes back as
 * soon as the caller has shrunk the image to what its model takes. So a burst of large images queues or is refused
 * instead of filling the heap, and what stays queued afterwards is small.
 */
public final class DecodeBudget {

    /** Decoded bytes per pixel counted against the budget: a 4-byte raster and the 4-byte RGB copy made from it. */
    public static final int BYTES_PER_PIXEL = 8;

    private final long capacity;
    private final Duration maxWait;
    private long inUse;
    private long peak;

    /**
     * @param capacity bytes of decoded pixels in flight at once; an image that alone needs more runs only when
     *     nothing else is being decoded
     * @param maxWait how long a decode waits for room before {@link DecodeBudgetExhaustedException}
     */
    public DecodeBudget(long capacity, Duration maxWait) {
        if (capacity <= 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("the decode budget must be positive and its wait not negative");
        }
        this.capacity = capacity;
        this.maxWait = maxWait;
    }

    /**
     * Decodes {@code bytes} within the budget and returns {@code shrink} of the image; the decoded pixels' bytes are
     * given back when {@code shrink} returns.
     *
     * @throws ImageValidationException as {@link ImageDecoder#decode} does, before waiting for anything
     * @throws DecodeBudgetExhaustedException when the image's cost did not fit within {@code maxWait}
     */
    public DecodedImage decode(ImageDecoder decoder, byte[] bytes, UnaryOperator<BufferedImage> shrink) {
        ImageInfo info = decoder.probe(bytes);
        long cost = Math.min(capacity, info.pixels() * BYTES_PER_PIXEL);
        acquire(cost, info);
        try {
            DecodedImage decoded = decoder.decode(bytes);
            BufferedImage small = shrink.apply(decoded.image());
            return new DecodedImage(small, decoded.format(), decoded.width(), decoded.height());
        } finally {
            release(cost);
        }
    }

    private synchronized void acquire(long cost, ImageInfo info) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (inUse + cost > capacity) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DecodeBudgetExhaustedException("a " + info.width() + "x" + info.height() + " image needs "
                        + cost + " bytes to decode and " + (capacity - inUse) + " of the " + capacity
                        + " byte decode budget stayed free for " + maxWait.toMillis() + " ms; try again");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DecodeBudgetExhaustedException("interrupted while waiting for the decode budget");
            }
        }
        inUse += cost;
        peak = Math.max(peak, inUse);
    }

    private synchronized void release(long cost) {
        inUse -= cost;
        notifyAll();
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes counted against the budget now. */
    public synchronized long inUse() {
        return inUse;
    }

    /** The most bytes ever counted against the budget at once. */
    public synchronized long peak() {
        return peak;
    }
}
