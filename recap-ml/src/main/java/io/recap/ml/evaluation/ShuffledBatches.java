package io.recap.ml.evaluation;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batches drawn epoch by epoch: every example once per pass in a fresh random order, no
 * batch holding one example twice (a contrastive batch needs distinct images, each the others'
 * negatives). A pass whose remainder cannot fill a batch is reshuffled.
 */
final class ShuffledBatches {

    private final int[] order;
    private final int batchSize;
    private final SplittableRandom random;
    private int next;

    ShuffledBatches(int count, int batchSize, SplittableRandom random) {
        if (batchSize < 1 || count < batchSize) {
            throw new IllegalArgumentException("batches of " + batchSize + " need at least as many examples, got "
                    + count);
        }
        this.batchSize = batchSize;
        this.random = random;
        order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        shuffle();
    }

    /** Indices of the next batch's examples. */
    int[] next() {
        if (next + batchSize > order.length) {
            shuffle();
        }
        int[] batch = Arrays.copyOfRange(order, next, next + batchSize);
        next += batchSize;
        return batch;
    }

    /** The items at {@code indices}, in that order. */
    static <T> List<T> pick(List<T> items, int[] indices) {
        return Arrays.stream(indices).mapToObj(items::get).toList();
    }

    private void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        next = 0;
    }
}
