package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class GridPositionsTest {

    /** The smallest block that owns grid positions and returns them. */
    private static final class PositionsOnly extends AbstractBlock {
        private final GridPositions positions;

        PositionsOnly(int side, int width, float std) {
            positions = new GridPositions(side, width, std, this::addParameter);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(positions.grid(parameterStore, inputs.head().getDevice(), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }
    }

    @Test
    void tokenOfRowRAndColumnCGetsRowRPlusColumnC() {
        try (NDManager manager = newManager()) {
            PositionsOnly block = initialized(new PositionsOnly(3, 4, 1f), manager, new Shape(1));
            NDArray rows = parameter(block, "rowPositions").getArray();
            NDArray columns = parameter(block, "columnPositions").getArray();

            NDArray grid = run(block, manager, manager.zeros(new Shape(1)));

            assertThat(grid.getShape()).isEqualTo(new Shape(9, 4));
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    float[] expected = rows.get(r).add(columns.get(c)).toFloatArray();
                    assertThat(grid.get(r * 3 + c).toFloatArray()).containsExactly(expected, within(1e-6f));
                }
            }
        }
    }

    @Test
    void tablesStartAtTheStdTheyAreGiven() {
        try (NDManager manager = newManager()) {
            for (float given : new float[] {1f, 0.02f}) {
                PositionsOnly block = initialized(new PositionsOnly(32, 64, given), manager, new Shape(1));
                for (String name : new String[] {"rowPositions", "columnPositions"}) {
                    NDArray table = parameter(block, name).getArray();
                    float std = (float) Math.sqrt(table.sub(table.mean()).square().mean().getFloat());
                    assertThat(std).as("%s at %s", name, given).isBetween(0.8f * given, 1.2f * given);
                }
            }
        }
    }

    private static Parameter parameter(AbstractBlock block, String name) {
        return block.getParameters().stream().filter(p -> p.getKey().equals(name)).findFirst().orElseThrow()
                .getValue();
    }
}
