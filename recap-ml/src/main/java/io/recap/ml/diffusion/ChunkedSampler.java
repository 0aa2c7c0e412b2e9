package io.recap.ml.diffusion;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.recap.ml.runtime.DjlRuntime;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Both ways of asking a {@link TextToImage} for images, turned into rows (a prompt and the seeded stream its noise
 * comes from) and sampled a chunk at a time, every array of a chunk in its own manager and scope so nothing outlives
 * it. The models say how one chunk is sampled.
 */
abstract class ChunkedSampler implements TextToImage {

    /**
     * Images per forward pass while sampling (twice as many rows with guidance). On CPU a UNet
     * pass over 64 rows took 4-8x as long as one over 32 (measured on the small model), so
     * chunks stay at 32 rows.
     */
    static final int SAMPLING_BATCH = 16;

    /**
     * Images for the prompts, prompt-major: all images of prompt 0, then of prompt 1, ... Image k
     * of prompt p starts from noise seeded by (seed, p * imagesPerPrompt + k), so the same call
     * always returns the same images. An empty prompt samples unconditionally.
     */
    @Override
    public final List<BufferedImage> sample(List<String> prompts, SamplingOptions options) {
        return sampleRows(NoiseRow.of(prompts, options), options.steps(), options.guidanceScale());
    }

    /**
     * Images for several requests sampled together, request-major. Image k of a request starts from noise seeded
     * by (its seed, k), as {@code sample(List.of(prompt), options)} with that seed draws it: a request's noise does
     * not depend on what else is in the batch.
     */
    @Override
    public final List<BufferedImage> sample(List<SamplingRequest> requests, int steps, float guidance) {
        return sampleRows(NoiseRow.of(requests), steps, guidance);
    }

    private List<BufferedImage> sampleRows(List<NoiseRow> rows, int steps, float guidance) {
        // A web server's request thread has PyTorch's autograd on: every pass would record a graph.
        DjlRuntime.prepareCurrentThread();
        List<BufferedImage> images = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += SAMPLING_BATCH) {
            List<NoiseRow> chunk = rows.subList(from, Math.min(rows.size(), from + SAMPLING_BATCH));
            try (NDManager manager = chunkManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                images.addAll(sampleChunk(manager, chunk, steps, guidance));
            }
        }
        return images;
    }

    /** A new sub-manager of the model's, on its device, for one chunk's arrays. */
    abstract NDManager chunkManager();

    /**
     * The images of one chunk of rows.
     *
     * @throws SamplingCancelledException when the calling thread is interrupted (checked before every step)
     */
    abstract List<BufferedImage> sampleChunk(NDManager manager, List<NoiseRow> chunk, int steps, float guidance);
}
