package io.recap.shapesml.captioner.data;

import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionExample;
import java.util.ArrayList;
import java.util.List;

/**
 * Fine-tuning batches with rehearsal: a fixed share of every batch comes from the pretraining
 * captions (terse and reference, under their own prefixes), the rest from the RECAP human mix.
 * A captioner fine-tuned on 100 images alone forgets part of what pretraining taught it (naming
 * every object, counts); rehearsing keeps it, while the SHORT/LONG prefixes still learn only from
 * human captions.
 */
public final class RehearsalMix implements CaptionBatchSource {

    private final CaptionBatchSource human;
    private final CaptionBatchSource pretraining;
    private final float share;

    /**
     * @param human the RECAP fine-tuning source (SHORT/LONG of the human split)
     * @param pretraining the pretraining source
     * @param share share of each batch from {@code pretraining}, in [0, 1)
     */
    public RehearsalMix(CaptionBatchSource human, CaptionBatchSource pretraining, float share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("rehearsal share must be in [0, 1): " + share);
        }
        this.human = human;
        this.pretraining = pretraining;
        this.share = share;
    }

    /** How many examples of a batch of {@code batchSize} are rehearsed (rounded, at least one human). */
    public int rehearsed(int batchSize) {
        return Math.min(batchSize - 1, Math.round(batchSize * share));
    }

    @Override
    public List<CaptionExample> nextBatch(int batchSize) {
        int rehearsed = rehearsed(batchSize);
        List<CaptionExample> batch = new ArrayList<>(batchSize);
        batch.addAll(human.nextBatch(batchSize - rehearsed));
        if (rehearsed > 0) {
            batch.addAll(pretraining.nextBatch(rehearsed));
        }
        return batch;
    }
}
