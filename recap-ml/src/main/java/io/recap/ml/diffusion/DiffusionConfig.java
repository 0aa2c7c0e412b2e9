package io.recap.ml.diffusion;

import io.recap.ml.text.CaptionTokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Architecture of the text-to-image model: a transformer text encoder and a conditional UNet.
 *
 * @param imageSize side of the square images the model generates (pixel space)
 * @param patchSize side of the pixel patches folded into channels before the UNet (1: none; 2:
 *     a 32x32x3 image becomes 16x16x12, which costs a quarter of the compute and loses nothing,
 *     as the rearrangement is exact and undone at the output)
 * @param baseChannels UNet channels at full resolution
 * @param channelMultipliers channels of each UNet level as multiples of {@code baseChannels};
 *     level i works at {@code imageSize / patchSize / 2^i}; keep channels multiples of 16:
 *     PyTorch's CPU convolution returned NaN gradients with 3, 4, 8 and 24 filters
 * @param residualBlocks residual blocks per level on the way down (one more on the way up)
 * @param attentionLevels levels whose blocks are followed by a transformer (self-attention over
 *     pixels, cross-attention to the text tokens); the middle block always has one
 * @param attentionHeads heads of those transformers; must divide each attended level's channels
 * @param textWidth text-encoder width, which is also the width of the tokens the UNet attends to
 * @param textLayers text-encoder transformer layers
 * @param textHeads text-encoder attention heads
 * @param contextLength text tokens per prompt, control tokens included (CLIP's 77)
 * @param diffusionSteps T of the noise schedule
 * @param prediction what the UNet predicts (noise or v)
 */
public record DiffusionConfig(
        int imageSize,
        int patchSize,
        int baseChannels,
        int[] channelMultipliers,
        int residualBlocks,
        int[] attentionLevels,
        int attentionHeads,
        int textWidth,
        int textLayers,
        int textHeads,
        int contextLength,
        int diffusionSteps,
        Prediction prediction) {

    public DiffusionConfig {
        channelMultipliers = channelMultipliers.clone();
        attentionLevels = attentionLevels.clone();
        int levels = channelMultipliers.length;
        if (patchSize < 1 || imageSize % patchSize != 0 || levels < 1
                || (imageSize / patchSize) % (1 << (levels - 1)) != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " in patches of " + patchSize
                    + " cannot be halved " + (levels - 1) + " times");
        }
        if (baseChannels < 8 || residualBlocks < 1 || textLayers < 1 || diffusionSteps < 2 || prediction == null) {
            throw new IllegalArgumentException("invalid diffusion config");
        }
        for (int level : attentionLevels) {
            if (level < 0 || level >= levels || channelsAt(baseChannels, channelMultipliers, level) % attentionHeads != 0) {
                throw new IllegalArgumentException("attention level " + level + " is not a level whose channels "
                        + attentionHeads + " heads divide");
            }
        }
        if (channelsAt(baseChannels, channelMultipliers, levels - 1) % attentionHeads != 0) {
            throw new IllegalArgumentException(attentionHeads + " heads must divide the middle block's channels");
        }
        if (textWidth % textHeads != 0) {
            throw new IllegalArgumentException(textHeads + " heads must divide text width " + textWidth);
        }
        if (contextLength < 3 || contextLength > CaptionTokenizer.CLIP_CONTEXT) {
            throw new IllegalArgumentException("context length must be 3.." + CaptionTokenizer.CLIP_CONTEXT);
        }
    }

    /** For tests: 16x16 images, two levels, a one-layer text encoder; a step takes milliseconds. */
    public static DiffusionConfig smoke() {
        return new DiffusionConfig(16, 1, 16, new int[] {1, 2}, 1, new int[] {1}, 2, 32, 1, 2, 32, 1000, Prediction.V);
    }

    /**
     * Trains in minutes on 2 CPU cores: 32x32 images, UNet levels at 32/16/8 with 16/32/64
     * channels, text cross-attention at 8x8 and in the middle block, a 2-layer text encoder of
     * width 64 over up to 77 tokens; 1.0M parameters. (Folding 2x2 patches into channels cost
     * the same on these cores and left speckle that a full-resolution level removes.)
     */
    public static DiffusionConfig small() {
        return new DiffusionConfig(32, 1, 16, new int[] {1, 2, 4}, 1, new int[] {2}, 4, 64, 2, 4,
                CaptionTokenizer.CLIP_CONTEXT, 1000, Prediction.V);
    }

    /**
     * Stable Diffusion v1's UNet proportions (channels 320/640/1280/1280, two residual blocks
     * per level, cross-attention on the first three levels, 8 heads) and a CLIP-sized text
     * encoder (width 768, 12 layers, 77 tokens), here in pixel space at 64x64: for a GPU cluster.
     */
    public static DiffusionConfig paper() {
        return new DiffusionConfig(64, 1, 320, new int[] {1, 2, 4, 4}, 2, new int[] {0, 1, 2}, 8, 768, 12, 12,
                CaptionTokenizer.CLIP_CONTEXT, 1000, Prediction.EPSILON);
    }

    public static DiffusionConfig byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "smoke" -> smoke();
            case "small" -> small();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown preset " + name + "; use smoke, small or paper");
        };
    }

    public DiffusionConfig withPrediction(Prediction newPrediction) {
        return new DiffusionConfig(imageSize, patchSize, baseChannels, channelMultipliers, residualBlocks, attentionLevels,
                attentionHeads, textWidth, textLayers, textHeads, contextLength, diffusionSteps, newPrediction);
    }

    /** The same UNet with a text encoder of another width or depth (ablations, probes). */
    public DiffusionConfig withTextEncoder(int newTextWidth, int newTextLayers) {
        return new DiffusionConfig(imageSize, patchSize, baseChannels, channelMultipliers, residualBlocks, attentionLevels,
                attentionHeads, newTextWidth, newTextLayers, textHeads, contextLength, diffusionSteps, prediction);
    }

    /** The same model with spatial transformers at other UNet levels (ablations, probes). */
    public DiffusionConfig withAttentionLevels(int... levels) {
        return new DiffusionConfig(imageSize, patchSize, baseChannels, channelMultipliers, residualBlocks, levels,
                attentionHeads, textWidth, textLayers, textHeads, contextLength, diffusionSteps, prediction);
    }

    public int levels() {
        return channelMultipliers.length;
    }

    /** Side of the feature maps at UNet level {@code level}. */
    public int side(int level) {
        return imageSize / patchSize >> level;
    }

    /** Channels of UNet level {@code level}. */
    public int channels(int level) {
        return channelsAt(baseChannels, channelMultipliers, level);
    }

    public boolean attends(int level) {
        return Arrays.stream(attentionLevels).anyMatch(l -> l == level);
    }

    private static int channelsAt(int base, int[] multipliers, int level) {
        return base * multipliers[level];
    }

    /** The architecture as flat key/value pairs, for a model manifest. */
    public Map<String, Object> describe() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("imageSize", imageSize);
        values.put("patchSize", patchSize);
        values.put("baseChannels", baseChannels);
        values.put("channelMultipliers", Arrays.toString(channelMultipliers));
        values.put("residualBlocks", residualBlocks);
        values.put("attentionLevels", Arrays.toString(attentionLevels));
        values.put("attentionHeads", attentionHeads);
        values.put("textWidth", textWidth);
        values.put("textLayers", textLayers);
        values.put("textHeads", textHeads);
        values.put("contextLength", contextLength);
        values.put("diffusionSteps", diffusionSteps);
        values.put("prediction", prediction.name());
        values.put("noiseSchedule", "cosine");
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DiffusionConfig c && describe().equals(c.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return "DiffusionConfig" + describe();
    }
}
