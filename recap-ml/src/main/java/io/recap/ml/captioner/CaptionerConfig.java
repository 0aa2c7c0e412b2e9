package io.recap.ml.captioner;

import io.recap.ml.text.CaptionTokenizer;

/**
 * Captioner architecture.
 *
 * @param imageSize side of the square input images (64 by default; 32 also works)
 * @param gridSize side of the image-token grid the decoder attends to
 * @param encoderChannels channels after the encoder's stem convolution
 * @param width transformer width, also the image-token width
 * @param layers transformer decoder layers
 * @param heads attention heads per layer; must divide width
 * @param dropout dropout on residual branches while training (the paper's 0.1)
 * @param maxTokens longest caption sequence, control tokens included (CLIP's 77)
 */
public record CaptionerConfig(
        int imageSize,
        int gridSize,
        int encoderChannels,
        int width,
        int layers,
        int heads,
        float dropout,
        int maxTokens) {

    public CaptionerConfig {
        if (imageSize <= 0 || gridSize <= 0 || imageSize % gridSize != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " must be a multiple of grid " + gridSize);
        }
        if (width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads must divide width " + width);
        }
        if (layers <= 0 || encoderChannels <= 0 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("invalid layers, channels or dropout");
        }
        if (maxTokens < 4 || maxTokens > CaptionTokenizer.CLIP_CONTEXT) {
            throw new IllegalArgumentException("max tokens must be 4.." + CaptionTokenizer.CLIP_CONTEXT);
        }
    }

    /** The default captioner for 64x64 ShapesWorld images: an 8x8 token grid, width 256, 4 layers. */
    public static CaptionerConfig defaults() {
        return new CaptionerConfig(64, 8, 32, 256, 4, 8, 0.1f, CaptionTokenizer.CLIP_CONTEXT);
    }

    /** Trains in minutes on 2 CPU cores: 64x64 images, width 128, 3 layers. */
    public static CaptionerConfig small() {
        return new CaptionerConfig(64, 8, 16, 128, 3, 4, 0.1f, CaptionTokenizer.CLIP_CONTEXT);
    }

    /** For tests: 32x32 images, a 4x4 grid, width 64, 2 layers; trains in seconds. */
    public static CaptionerConfig smoke() {
        return new CaptionerConfig(32, 4, 16, 64, 2, 4, 0.1f, CaptionTokenizer.CLIP_CONTEXT);
    }

    public CaptionerConfig withImageSize(int size, int grid) {
        return new CaptionerConfig(size, grid, encoderChannels, width, layers, heads, dropout, maxTokens);
    }

    public CaptionerConfig withDropout(float rate) {
        return new CaptionerConfig(imageSize, gridSize, encoderChannels, width, layers, heads, rate, maxTokens);
    }
}
