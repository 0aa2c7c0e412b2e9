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
import io.recap.ml.nn.FusedLinear;
import io.recap.ml.nn.GroupNorm;

/**
 * The DDPM residual block: {@code x + conv(SiLU(GN(conv(SiLU(GN(x))) + W SiLU(c)))))}, where c is
 * the conditioning vector (time step and pooled text) added per channel; a 1x1 convolution
 * matches channels on the skip path when they change.
 *
 * <p>Inputs: {@code (x, SiLU(conditioning))} with x (B, Cin, H, W) and the activated
 * conditioning (B, E): every block of a UNet pass shares it, so the UNet applies SiLU once.
 * Output: (B, Cout, H, W).
 */
public class ResidualBlock extends AbstractBlock {

    private final int outChannels;
    private final GroupNorm inputNorm;
    private final Conv2d inputConv;
    private final Linear conditioningProjection;
    private final GroupNorm outputNorm;
    private final Conv2d outputConv;
    private final Conv2d skip;

    public ResidualBlock(int inChannels, int outChannels) {
        this.outChannels = outChannels;
        inputNorm = addChildBlock("inputNorm", GroupNorm.forChannels(inChannels));
        inputConv = addChildBlock("inputConv", conv3x3(outChannels));
        conditioningProjection = addChildBlock("conditioning", new FusedLinear(outChannels));
        outputNorm = addChildBlock("outputNorm", GroupNorm.forChannels(outChannels));
        outputConv = addChildBlock("outputConv", conv3x3(outChannels));
        if (inChannels != outChannels) {
            skip = addChildBlock("skip", Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(outChannels)
                    .build());
        } else {
            skip = null;
        }
    }

    static Conv2d conv3x3(int channels) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(channels)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray activatedConditioning = inputs.get(1);
        NDArray h = inputNorm.normalizeThenSilu(parameterStore, x, training);
        h = inputConv.forward(parameterStore, new NDList(h), training).singletonOrThrow();
        NDArray shift = conditioningProjection.forward(parameterStore, new NDList(activatedConditioning), training)
                .singletonOrThrow();
        h = h.add(shift.reshape(shift.getShape().get(0), outChannels, 1, 1));
        h = outputNorm.normalizeThenSilu(parameterStore, h, training);
        h = outputConv.forward(parameterStore, new NDList(h), training).singletonOrThrow();
        NDArray residual = skip == null ? x : skip.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        return new NDList(residual.add(h));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        inputNorm.initialize(manager, dataType, x);
        inputConv.initialize(manager, dataType, x);
        conditioningProjection.initialize(manager, dataType, inputShapes[1]);
        Shape out = getOutputShapes(inputShapes)[0];
        outputNorm.initialize(manager, dataType, out);
        outputConv.initialize(manager, dataType, out);
        if (skip != null) {
            skip.initialize(manager, dataType, x);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }
}
