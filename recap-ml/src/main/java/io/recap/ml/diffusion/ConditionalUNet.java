package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.recap.ml.nn.Activations;
import io.recap.ml.nn.FusedLinear;
import io.recap.ml.nn.GroupNorm;
import io.recap.ml.nn.NearestUpsample2x;
import io.recap.ml.nn.SinusoidalEmbedding;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The denoising UNet (DDPM / Stable Diffusion layout): residual blocks at each level, halving
 * the resolution on the way down and doubling it on the way up with skip connections between
 * matching levels, a middle block, and spatial transformers with cross-attention to the text
 * tokens at the configured levels. The time step (sinusoidal, then an MLP) and the masked mean
 * of the text tokens (a global summary, as Imagen adds) form the per-block conditioning vector.
 *
 * <p>Inputs: {@code (x, t, text, textKeyBias)}: noisy images (B, 3, S, S), float time steps (B),
 * text tokens (B, L, Dt) and their (B, L) key bias. Output: the prediction (B, 3, S, S).
 */
public class ConditionalUNet extends AbstractBlock {

    /** One residual block, optionally followed by a spatial transformer. */
    private record Stage(ResidualBlock residual, SpatialTransformer attention) {
    }

    private final DiffusionConfig config;
    private final int conditioningWidth;
    private final Linear timeIn;
    private final Linear timeOut;
    private final Linear textSummary;
    private final Conv2d inputConv;
    private final List<List<Stage>> down = new ArrayList<>();
    private final List<Conv2d> downsamplers = new ArrayList<>();
    private final Stage middleIn;
    private final ResidualBlock middleOut;
    private final List<List<Stage>> up = new ArrayList<>();
    private final List<Conv2d> upsampleConvs = new ArrayList<>();
    private final GroupNorm outputNorm;
    private final Linear outputProjection;

    public ConditionalUNet(DiffusionConfig config) {
        this.config = config;
        int base = config.baseChannels();
        conditioningWidth = 4 * base;
        timeIn = addChildBlock("timeIn", new FusedLinear(conditioningWidth));
        timeOut = addChildBlock("timeOut", new FusedLinear(conditioningWidth));
        textSummary = addChildBlock("textSummary", new FusedLinear(conditioningWidth));
        inputConv = addChildBlock("inputConv", ResidualBlock.conv3x3(base));

        List<Integer> skipChannels = new ArrayList<>(List.of(base));
        int channels = base;
        for (int level = 0; level < config.levels(); level++) {
            List<Stage> stages = new ArrayList<>();
            for (int r = 0; r < config.residualBlocks(); r++) {
                stages.add(stage("down" + level + "_" + r, channels, config.channels(level), level));
                channels = config.channels(level);
                skipChannels.add(channels);
            }
            down.add(stages);
            if (level < config.levels() - 1) {
                downsamplers.add(addChildBlock("downsample" + level, Conv2d.builder().setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).setFilters(channels).build()));
                skipChannels.add(channels);
            }
        }
        int lowest = config.levels() - 1;
        middleIn = new Stage(addChildBlock("middleIn", new ResidualBlock(channels, channels)),
                addChildBlock("middleAttention", new SpatialTransformer(channels, side(lowest), config.attentionHeads())));
        middleOut = addChildBlock("middleOut", new ResidualBlock(channels, channels));

        for (int level = lowest; level >= 0; level--) {
            List<Stage> stages = new ArrayList<>();
            for (int r = 0; r <= config.residualBlocks(); r++) {
                int skip = skipChannels.remove(skipChannels.size() - 1);
                stages.add(stage("up" + level + "_" + r, channels + skip, config.channels(level), level));
                channels = config.channels(level);
            }
            up.add(stages);
            if (level > 0) {
                // Straight to the finer level's width: a convolution at twice the resolution with
                // the coarser level's channels would cost 4x (2x2) as much for nothing.
                channels = config.channels(level - 1);
                upsampleConvs.add(addChildBlock("upsample" + level, ResidualBlock.conv3x3(channels)));
            }
        }
        outputNorm = addChildBlock("outputNorm", GroupNorm.forChannels(channels));
        // A per-pixel linear map to RGB, not a 3x3 convolution: PyTorch's CPU convolution returns
        // NaN input gradients in a few percent of backward passes when it has fewer than 16
        // output channels (measured: 3, 4 and 8 filters fail, 16 and more never did).
        outputProjection = addChildBlock("outputProjection",
                new FusedLinear(3L * config.patchSize() * config.patchSize()));
    }

    private Stage stage(String name, int in, int out, int level) {
        ResidualBlock residual = addChildBlock(name, new ResidualBlock(in, out));
        SpatialTransformer attention = config.attends(level)
                ? addChildBlock(name + "_attention", new SpatialTransformer(out, side(level), config.attentionHeads()))
                : null;
        return new Stage(residual, attention);
    }

    private int side(int level) {
        return config.side(level);
    }

    /** (B, C, S, S) to (B, C p^2, S/p, S/p): each p x p patch becomes channels. */
    static NDArray patchesToChannels(NDArray x, int p) {
        if (p == 1) {
            return x;
        }
        Shape s = x.getShape();
        long c = s.get(1);
        long h = s.get(2) / p;
        long w = s.get(3) / p;
        return x.reshape(s.get(0), c, h, p, w, p).transpose(0, 1, 3, 5, 2, 4).reshape(s.get(0), c * p * p, h, w);
    }

    /** The inverse of {@link #patchesToChannels}. */
    static NDArray channelsToPatches(NDArray x, int p) {
        if (p == 1) {
            return x;
        }
        Shape s = x.getShape();
        long c = s.get(1) / (p * p);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(s.get(0), c, p, p, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(s.get(0), c, h * p, w * p);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int patch = config.patchSize();
        NDArray x = patchesToChannels(inputs.get(0), patch);
        NDArray text = inputs.get(2);
        NDArray textBias = inputs.get(3);
        // SiLU(conditioning) is what every residual block projects: computed once here, not per block.
        NDArray conditioning = Activations.silu(conditioning(ps, inputs.get(1), text, textBias, training));

        Deque<NDArray> skips = new ArrayDeque<>();
        NDArray h = inputConv.forward(ps, new NDList(x), training).singletonOrThrow();
        skips.push(h);
        for (int level = 0; level < down.size(); level++) {
            for (Stage stage : down.get(level)) {
                h = run(ps, stage, h, conditioning, text, textBias, training);
                skips.push(h);
            }
            if (level < downsamplers.size()) {
                h = downsamplers.get(level).forward(ps, new NDList(h), training).singletonOrThrow();
                skips.push(h);
            }
        }
        h = run(ps, middleIn, h, conditioning, text, textBias, training);
        h = middleOut.forward(ps, new NDList(h, conditioning), training).singletonOrThrow();
        for (int i = 0; i < up.size(); i++) {
            for (Stage stage : up.get(i)) {
                h = run(ps, stage, h.concat(skips.pop(), 1), conditioning, text, textBias, training);
            }
            if (i < upsampleConvs.size()) {
                h = upsampleConvs.get(i).forward(ps, new NDList(NearestUpsample2x.upsample(h)), training)
                        .singletonOrThrow();
            }
        }
        h = outputNorm.normalizeThenSilu(ps, h, training);
        Shape shape = h.getShape();
        NDArray pixels = h.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3)).transpose(0, 2, 1);
        NDArray rgb = outputProjection.forward(ps, new NDList(pixels), training).singletonOrThrow();
        long channels = 3L * patch * patch;
        return new NDList(channelsToPatches(
                rgb.transpose(0, 2, 1).reshape(shape.get(0), channels, shape.get(2), shape.get(3)), patch));
    }

    private NDArray conditioning(ParameterStore ps, NDArray t, NDArray text, NDArray textBias, boolean training) {
        NDArray time = SinusoidalEmbedding.embed(t, config.baseChannels(), 10_000f);
        time = Activations.silu(timeIn.forward(ps, new NDList(time), training).singletonOrThrow());
        time = timeOut.forward(ps, new NDList(time), training).singletonOrThrow();
        // Mean over the real tokens: the bias is 0 there and large negative on padding.
        NDArray mask = textBias.eq(0f).toType(text.getDataType(), false).expandDims(2);
        NDArray pooled = text.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        return time.add(textSummary.forward(ps, new NDList(pooled), training).singletonOrThrow());
    }

    private static NDArray run(ParameterStore ps, Stage stage, NDArray h, NDArray conditioning, NDArray text,
            NDArray textBias, boolean training) {
        h = stage.residual().forward(ps, new NDList(h, conditioning), training).singletonOrThrow();
        if (stage.attention() != null) {
            h = stage.attention().forward(ps, new NDList(h, text, textBias), training).singletonOrThrow();
        }
        return h;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int patch = config.patchSize();
        Shape image = inputShapes[0];
        long batch = image.get(0);
        Shape x = new Shape(batch, image.get(1) * patch * patch, image.get(2) / patch, image.get(3) / patch);
        Shape text = inputShapes[2];
        Shape bias = inputShapes[3];
        Shape conditioning = new Shape(batch, conditioningWidth);
        timeIn.initialize(manager, dataType, new Shape(batch, config.baseChannels()));
        timeOut.initialize(manager, dataType, conditioning);
        textSummary.initialize(manager, dataType, new Shape(batch, text.get(2)));
        inputConv.initialize(manager, dataType, x);

        Deque<Shape> skips = new ArrayDeque<>();
        Shape h = inputConv.getOutputShapes(new Shape[] {x})[0];
        skips.push(h);
        for (int level = 0; level < down.size(); level++) {
            for (Stage stage : down.get(level)) {
                h = initialize(stage, manager, dataType, h, conditioning, text, bias);
                skips.push(h);
            }
            if (level < downsamplers.size()) {
                downsamplers.get(level).initialize(manager, dataType, h);
                h = downsamplers.get(level).getOutputShapes(new Shape[] {h})[0];
                skips.push(h);
            }
        }
        h = initialize(middleIn, manager, dataType, h, conditioning, text, bias);
        middleOut.initialize(manager, dataType, h, conditioning);
        for (int i = 0; i < up.size(); i++) {
            for (Stage stage : up.get(i)) {
                Shape skip = skips.pop();
                Shape joined = new Shape(batch, h.get(1) + skip.get(1), h.get(2), h.get(3));
                h = initialize(stage, manager, dataType, joined, conditioning, text, bias);
            }
            if (i < upsampleConvs.size()) {
                h = new Shape(batch, h.get(1), h.get(2) * 2, h.get(3) * 2);
                upsampleConvs.get(i).initialize(manager, dataType, h);
                h = upsampleConvs.get(i).getOutputShapes(new Shape[] {h})[0];
            }
        }
        outputNorm.initialize(manager, dataType, h);
        outputProjection.initialize(manager, dataType, new Shape(batch, h.get(2) * h.get(3), h.get(1)));
    }

    private static Shape initialize(Stage stage, NDManager manager, DataType dataType, Shape h, Shape conditioning,
            Shape text, Shape bias) {
        stage.residual().initialize(manager, dataType, h, conditioning);
        Shape out = stage.residual().getOutputShapes(new Shape[] {h, conditioning})[0];
        if (stage.attention() != null) {
            stage.attention().initialize(manager, dataType, out, text, bias);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
