package io.recap.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** 3x3 convolution (stride 1 or 2, "same" padding), group norm, SiLU. */
public class ConvNormActivation extends AbstractBlock {

    private final Conv2d conv;
    private final GroupNorm norm;

    public ConvNormActivation(int outChannels, int stride) {
        conv = addChildBlock("conv", Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .setFilters(outChannels)
                .build());
        norm = addChildBlock("norm", GroupNorm.forChannels(outChannels));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray convolved = conv.forward(parameterStore, inputs, training).singletonOrThrow();
        return new NDList(norm.normalizeThenSilu(parameterStore, convolved, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes[0]);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
