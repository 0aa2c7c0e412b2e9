package io.recap.ml.captioner;

import io.recap.ml.torchscript.TorchScriptConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * A captioner the services serve: the platform's own ({@link CaptionerModel}) or an imported BLIP-shaped one
 * ({@link TorchScriptCaptioner}); {@link #load} picks by what the model folder holds.
 */
public interface Captioner extends AutoCloseable {

    /** Loads the captioner in {@code directory}, whichever format it is in. */
    static Captioner load(Path directory) throws IOException {
        return TorchScriptConfig.isTorchScript(directory) ? TorchScriptCaptioner.load(directory)
                : CaptionerModel.load(directory);
    }

    /** Decodes one caption per image in {@code style}, all images in one batch. */
    List<GeneratedCaption> caption(List<BufferedImage> images, String style, DecodingOptions options);

    /** The side of the square images the captioner takes (larger ones are shrunk to it first). */
    int inputSize();

    /** The caption styles it can be asked for (lower case, for example {@code short}, {@code long}). */
    List<String> styles();

    @Override
    void close();

    /** Receives one slice's captions: {@code from} is the index of its first image in the whole list. */
    @FunctionalInterface
    interface SliceListener {
        void sliceDone(int from, List<GeneratedCaption> captions);
    }

    /**
     * Decodes like {@link #caption}, with the images cut into {@code slices} contiguous parts
     * decoded at once: the first on the calling thread, the others on {@code executor}. Give each
     * slice a single intra-op thread: independent single-threaded passes keep every core busy where
     * one pass over all cores waits at each operator for its slowest thread. {@code listener} hears
     * of each slice as soon as it is done, on the thread that decoded it. Returns when every slice is
     * done; the first failure, if any, is rethrown then (the slices that succeeded were reported).
     */
    default void captionInSlices(List<BufferedImage> images, String style, DecodingOptions options, int slices,
            Executor executor, SliceListener listener) {
        int count = Math.max(1, Math.min(slices, images.size()));
        List<CompletableFuture<Void>> others = new ArrayList<>(count - 1);
        for (int s = 1; s < count; s++) {
            int from = images.size() * s / count;
            List<BufferedImage> slice = images.subList(from, images.size() * (s + 1) / count);
            others.add(CompletableFuture.runAsync(
                    () -> listener.sliceDone(from, caption(slice, style, options)), executor));
        }
        RuntimeException failure = null;
        try {
            listener.sliceDone(0, caption(images.subList(0, images.size() / count), style, options));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (CompletableFuture<Void> other : others) {
            try {
                other.join();
            } catch (CompletionException e) {
                failure = failure != null ? failure
                        : e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
