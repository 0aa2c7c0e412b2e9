package io.recap.ml.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * A learned 2D position for the tokens of a G x G grid: one embedding per row plus one per
 * column, added to token r * G + c. Used wherever attention runs over image positions (the
 * captioner's image tokens, the UNet's spatial transformers).
 *
 * <p>The initial scale matters: added to image features whose content varies widely, tables at the
 * usual std 0.02 can carry too little position for attention to learn it (the UNet's spatial
 * transformers start at 1 for that reason; see there).
 */
public final class GridPositions {

    private final int side;
    private final int width;
    private final Parameter rows;
    private final Parameter columns;

    /**
     * Registers the {@code rowPositions} and {@code columnPositions} tables through {@code adder}.
     *
     * @param initialStd std of the normal distribution both tables start from
     */
    public GridPositions(int side, int width, float initialStd, ParameterAdder adder) {
        this.side = side;
        this.width = width;
        rows = adder.add(table("rowPositions", side, width, initialStd));
        columns = adder.add(table("columnPositions", side, width, initialStd));
    }

    /** How a block registers a parameter (its protected {@code addParameter}). */
    @FunctionalInterface
    public interface ParameterAdder {
        Parameter add(Parameter parameter);
    }

    private static Parameter table(String name, int size, int width, float std) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER)
                .optShape(new Shape(size, width))
                .optInitializer(new NormalInitializer(std)).build();
    }

    /** The (G * G, D) position of every grid token, row-major. */
    public NDArray grid(ParameterStore parameterStore, Device device, boolean training) {
        NDArray rowTable = parameterStore.getValue(rows, device, training);
        NDArray columnTable = parameterStore.getValue(columns, device, training);
        return rowTable.reshape(side, 1, width).add(columnTable.reshape(1, side, width))
                .reshape((long) side * side, width);
    }
}
