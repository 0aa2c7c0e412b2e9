package io.recap.shapesml.captioner.data;

import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionExample;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.render.SceneRenderer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The RECAP fine-tuning source: the human split only (the paper's 100 images), every batch half
 * SHORT and half LONG with their own style prefixes (an odd batch alternates which style gets
 * the extra example). Each style walks the images in a fresh random order every epoch, so a
 * long run sees many copies of each. With {@code rerender}, every copy is drawn again with new
 * render jitter (position up to 4 % of a cell, size up to 5 %: the world's natural variation,
 * same scene, same captions); otherwise each copy is the corpus's own PNG.
 */
public final class HumanCaptionMix implements CaptionBatchSource {

    private final List<CorpusEntry> entries;
    private final List<BufferedImage> images;
    private final int imageSize;
    private final boolean rerender;
    private final Random random;
    private final Cycle shortOrder;
    private final Cycle longOrder;
    private boolean extraIsShort = true;

    HumanCaptionMix(List<CorpusEntry> entries, List<BufferedImage> images, int imageSize, boolean rerender,
            long seed) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("the corpus has no human split");
        }
        this.entries = List.copyOf(entries);
        this.images = List.copyOf(images);
        this.imageSize = imageSize;
        this.rerender = rerender;
        this.random = new Random(seed);
        this.shortOrder = new Cycle(entries.size(), random);
        this.longOrder = new Cycle(entries.size(), random);
    }

    /** Number of distinct human images. */
    public int images() {
        return entries.size();
    }

    public boolean rerenders() {
        return rerender;
    }

    /** Every human caption once with its image (the corpus's own PNG): each image's SHORT, then its LONG. */
    public List<CaptionExample> examples() {
        List<CaptionExample> examples = new ArrayList<>(2 * entries.size());
        for (int i = 0; i < entries.size(); i++) {
            examples.add(new CaptionExample(images.get(i), CaptionerCorpus.SHORT, entries.get(i).captions().shortCaption()));
            examples.add(new CaptionExample(images.get(i), CaptionerCorpus.LONG, entries.get(i).captions().longCaption()));
        }
        return examples;
    }

    @Override
    public List<CaptionExample> nextBatch(int batchSize) {
        int shorts = batchSize / 2;
        if (batchSize % 2 == 1) {
            shorts += extraIsShort ? 1 : 0;
            extraIsShort = !extraIsShort;
        }
        List<CaptionExample> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < shorts; i++) {
            int index = shortOrder.next();
            batch.add(new CaptionExample(copy(index), CaptionerCorpus.SHORT,
                    entries.get(index).captions().shortCaption()));
        }
        for (int i = shorts; i < batchSize; i++) {
            int index = longOrder.next();
            batch.add(new CaptionExample(copy(index), CaptionerCorpus.LONG,
                    entries.get(index).captions().longCaption()));
        }
        return batch;
    }

    private BufferedImage copy(int index) {
        if (!rerender) {
            return images.get(index);
        }
        return SceneRenderer.render(entries.get(index).scene(), imageSize, random.nextLong());
    }

    /** Indices 0..n-1 in a new random order each epoch. */
    private static final class Cycle {
        private final List<Integer> order = new ArrayList<>();
        private final Random random;
        private int position;

        Cycle(int size, Random random) {
            for (int i = 0; i < size; i++) {
                order.add(i);
            }
            this.random = random;
            this.position = size;
        }

        int next() {
            if (position == order.size()) {
                Collections.shuffle(order, random);
                position = 0;
            }
            return order.get(position++);
        }
    }
}
