package io.recap.ml.nn;

import static io.recap.ml.nn.BlockTestSupport.initialized;
import static io.recap.ml.nn.BlockTestSupport.maxAbsDifference;
import static io.recap.ml.nn.BlockTestSupport.newManager;
import static io.recap.ml.nn.BlockTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class TransformerLayerTest {

    private static final Shape TEXT = new Shape(2, 9, 32);
    private static final Shape IMAGE = new Shape(2, 16, 32);

    @Test
    void decoderLayerIsCausalButSeesTheWholeImage() {
        try (NDManager manager = newManager()) {
            TransformerLayer layer = initialized(TransformerLayer.decoder(32, 4, 0.1f), manager, TEXT, IMAGE);
            NDArray text = manager.randomNormal(TEXT);
            NDArray image = manager.randomNormal(IMAGE);
            NDArray futureChanged = text.duplicate();
            futureChanged.set(new NDIndex(":, 5:"), manager.randomNormal(new Shape(2, 4, 32)));
            NDArray imageChanged = image.duplicate();
            imageChanged.set(new NDIndex(":, 15"), manager.randomNormal(new Shape(2, 32)).mul(5));

            NDArray base = run(layer, manager, text, image);

            assertThat(base.getShape()).isEqualTo(TEXT);
            assertThat(maxAbsDifference(base, run(layer, manager, text, image)))
                    .as("no dropout at inference").isZero();
            NDArray withFuture = run(layer, manager, futureChanged, image);
            assertThat(maxAbsDifference(base.get(":, :5"), withFuture.get(":, :5"))).isLessThan(1e-5f);
            NDArray withOtherImage = run(layer, manager, text, imageChanged);
            assertThat(maxAbsDifference(base.get(":, 0"), withOtherImage.get(":, 0"))).isGreaterThan(1e-4f);
        }
    }

    @Test
    void gradientsReachEveryParameterOfEncoderAndDecoder() {
        try (NDManager manager = newManager()) {
            Shape images = new Shape(2, 3, 32, 32);
            ConvImageEncoder encoder = initialized(new ConvImageEncoder(32, 4, 8, 32), manager, images);
            TransformerLayer layer = initialized(TransformerLayer.decoder(32, 4, 0.1f), manager, TEXT, IMAGE);
            ParameterStore store = new ParameterStore(manager, false);

            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray features = encoder.forward(store, new NDList(manager.randomUniform(0, 1, images)), true)
                        .singletonOrThrow();
                NDArray out = layer.forward(store, new NDList(manager.randomNormal(TEXT), features), true)
                        .singletonOrThrow();
                collector.backward(out.square().mean());
            }

            for (var block : java.util.List.of(encoder, layer)) {
                for (Pair<String, Parameter> parameter : block.getParameters()) {
                    float gradient = parameter.getValue().getArray().getGradient().abs().sum().getFloat();
                    assertThat(gradient).as(parameter.getKey()).isPositive().isFinite();
                }
            }
        }
    }

    @Test
    void encoderLayerWithoutCrossAttentionKeepsShape() {
        try (NDManager manager = newManager()) {
            TransformerLayer layer = initialized(TransformerLayer.encoder(32, 4, 0f, false), manager, TEXT);
            assertThat(run(layer, manager, manager.randomNormal(TEXT)).getShape()).isEqualTo(TEXT);
        }
    }
}
