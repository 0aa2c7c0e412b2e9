package io.recap.ml.diffusion;

import io.recap.ml.torchscript.TorchScriptConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A text-to-image model the services serve and evaluate: the platform's own ({@link DiffusionModel}) or an imported
 * Stable-Diffusion-shaped pipeline ({@link TorchScriptPipeline}); {@link #load} picks by what the model folder holds.
 * Both draw image k of a request from the seeded stream (its seed, k), so a request gives the same images alone or
 * batched with others.
 */
public interface TextToImage extends AutoCloseable {

    /** Loads the model in {@code directory}, whichever format it is in. */
    static TextToImage load(Path directory) throws IOException {
        return TorchScriptConfig.isTorchScript(directory) ? TorchScriptPipeline.load(directory)
                : DiffusionModel.load(directory);
    }

    /** Images for the prompts, prompt-major; image k of prompt p from the stream (seed, p * imagesPerPrompt + k). */
    List<BufferedImage> sample(List<String> prompts, SamplingOptions options);

    /** Images for several requests sampled together, request-major; image k of a request from (its seed, k). */
    List<BufferedImage> sample(List<SamplingRequest> requests, int steps, float guidance);

    /** The side of the square images the model draws. */
    int imageSize();

    /** Tokens the text encoder would read for {@code prompt}, before truncation to {@link #contextLength()}. */
    int promptTokens(String prompt);

    /** The most tokens the text encoder reads; a longer prompt is truncated. */
    int contextLength();

    @Override
    void close();
}
