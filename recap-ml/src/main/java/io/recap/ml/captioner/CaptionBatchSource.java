package io.recap.ml.captioner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where training batches come from. The trainer asks for one batch per step; the source
 * decides what goes in it (for example a 50/50 mix of SHORT and LONG captions).
 */
@FunctionalInterface
public interface CaptionBatchSource {

    List<CaptionExample> nextBatch(int batchSize);

    /** Cycles through the examples in a new random order each epoch, repeating them as needed. */
    static CaptionBatchSource shuffled(List<CaptionExample> examples, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        List<CaptionExample> order = new ArrayList<>(examples);
        Random random = new Random(seed);
        int[] position = {order.size()};
        return batchSize -> {
            List<CaptionExample> batch = new ArrayList<>(batchSize);
            while (batch.size() < batchSize) {
                if (position[0] == order.size()) {
                    Collections.shuffle(order, random);
                    position[0] = 0;
                }
                batch.add(order.get(position[0]++));
            }
            return batch;
        };
    }
}
