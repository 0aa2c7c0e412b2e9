package io.recap.ml.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Shapes, masking, guidance layout, determinism and persistence of an untrained smoke model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiffusionModelTest {

    private static final List<String> PROMPTS = List.of("a red picture", "blue");

    private DiffusionModel model;

    @BeforeAll
    void create() {
        model = DiffusionModel.create(DiffusionConfig.smoke(), DiffusionTestSupport.vocabulary(), 3);
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void textEncoderAndUNetKeepTheirShapes() {
        DiffusionConfig config = model.getConfig();
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            // "<bos> a red picture <eos>" is the longest: 5 tokens; padding stops there.
            NDArray ids = model.tokenize(manager, PROMPTS);
            NDList text = model.getBlock().encodeText(parameters, ids, false);
            assertThat(ids.getShape()).isEqualTo(new Shape(2, 5));
            assertThat(text.get(0).getShape()).isEqualTo(new Shape(2, 5, config.textWidth()));
            assertThat(text.get(1).getShape()).isEqualTo(new Shape(2, 5));
            // The "blue" row ends after 3 tokens: its 2 pads are masked (large negative bias).
            assertThat(text.get(1).toFloatArray()[5 + 3]).isLessThan(-1e8f);
            assertThat(text.get(1).toFloatArray()[5 + 2]).isZero();
            // Longer prompts are cut at the context length, as CLIP does.
            String longPrompt = "red ".repeat(100);
            assertThat(model.tokenize(manager, List.of(longPrompt)).getShape())
                    .isEqualTo(new Shape(1, config.contextLength()));

            NDArray x = manager.randomNormal(new Shape(2, 3, config.imageSize(), config.imageSize()));
            NDArray output = model.getBlock().denoise(parameters, x, manager.create(new float[] {10, 900}), text,
                    false);
            assertThat(output.getShape()).isEqualTo(x.getShape());
            assertThat(output.isNaN().any().getBoolean()).isFalse();
        }
    }

    @Test
    void patchesFoldIntoChannelsAndBackExactly() {
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
            NDArray folded = ConditionalUNet.patchesToChannels(x, 2);
            assertThat(folded.getShape()).isEqualTo(new Shape(2, 12, 4, 4));
            // Channel c * 4 + dy * 2 + dx of patch (i, j) is pixel (2i + dy, 2j + dx) of channel c.
            assertThat(folded.getFloat(1, 2 * 4 + 3, 1, 2)).isEqualTo(x.getFloat(1, 2, 3, 5));
            assertThat(ConditionalUNet.channelsToPatches(folded, 2).sub(x).abs().max().getFloat()).isZero();
        }
        DiffusionConfig patched = new DiffusionConfig(16, 2, 16, new int[] {1, 2}, 1, new int[] {1}, 2, 32, 1, 2, 32,
                1000, Prediction.V);
        try (DiffusionModel small = DiffusionModel.create(patched, DiffusionTestSupport.vocabulary(), 1)) {
            List<BufferedImage> images = small.sample(PROMPTS, new SamplingOptions(2, 1.5f, 1, 1));
            assertThat(images).hasSize(2);
            assertThat(images.get(0).getWidth()).isEqualTo(16);
        }
    }

    @Test
    void paddingNeverChangesTheEncodingOfRealTokens() {
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            // The same 5 real tokens, padded to 5 (none) and to the whole context.
            NDArray tight = model.tokenize(manager, List.of("a red picture"));
            NDArray padded = model.tokenize(manager, List.of("a red picture"), model.getConfig().contextLength());
            assertThat(tight.getShape()).isEqualTo(new Shape(1, 5));
            assertThat(padded.getShape()).isEqualTo(new Shape(1, model.getConfig().contextLength()));
            NDArray tightText = model.getBlock().encodeText(parameters, tight, false).get(0);
            NDArray paddedText = model.getBlock().encodeText(parameters, padded, false).get(0).get(":, 0:5");
            assertThat(tightText.sub(paddedText).abs().max().getFloat()).isLessThan(1e-5f);
            // And the UNet sees the same text either way.
            NDArray x = manager.randomNormal(new Shape(1, 3, 16, 16));
            NDArray t = manager.create(new float[] {300});
            NDArray a = model.getBlock().denoise(parameters, x, t, model.getBlock().encodeText(parameters, tight, false), false);
            NDArray b = model.getBlock().denoise(parameters, x, t, model.getBlock().encodeText(parameters, padded, false), false);
            assertThat(a.sub(b).abs().max().getFloat()).isLessThan(1e-4f);
        }
    }

    @Test
    void guidanceOneInTheTwoRowLayoutIsTheConditionalOutput() {
        DiffusionConfig config = model.getConfig();
        DdimSampler sampler = new DdimSampler(model.getBlock(), model.getSchedule(), config.prediction());
        try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray prompts = model.tokenize(manager, PROMPTS);
            NDArray empty = model.tokenize(manager, List.of("", ""), (int) prompts.getShape().get(1));
            NDList conditional = model.getBlock().encodeText(parameters, prompts, false);
            NDList unconditional = model.getBlock().encodeText(parameters, empty, false);
            NDList both = model.getBlock().encodeText(parameters, prompts.concat(empty, 0), false);
            NDArray x = manager.randomNormal(new Shape(2, 3, config.imageSize(), config.imageSize()));

            NDArray c = sampler.guidedOutput(parameters, x, 700, conditional, 1f);
            NDArray u = sampler.guidedOutput(parameters, x, 700, unconditional, 1f);
            assertThat(maxDifference(sampler.guidedOutput(parameters, x, 700, both, 1f), c)).isLessThan(1e-4f);
            assertThat(maxDifference(sampler.guidedOutput(parameters, x, 700, both, 0f), u)).isLessThan(1e-4f);
            NDArray guided = sampler.guidedOutput(parameters, x, 700, both, 3f);
            assertThat(maxDifference(guided, u.add(c.sub(u).mul(3f)))).isLessThan(1e-4f);
            // The prompt matters: conditional and unconditional outputs differ.
            assertThat(maxDifference(c, u)).isGreaterThan(1e-4f);
        }
    }

    @Test
    void sameSeedSameImagesAndAnotherSeedOthers() {
        SamplingOptions options = new SamplingOptions(4, 2f, 2, 42);
        List<BufferedImage> first = model.sample(PROMPTS, options);
        List<BufferedImage> again = model.sample(PROMPTS, options);
        List<BufferedImage> other = model.sample(PROMPTS, new SamplingOptions(4, 2f, 2, 43));
        assertThat(first).hasSize(4);
        for (int i = 0; i < first.size(); i++) {
            assertThat(pixels(again.get(i))).as("image %d", i).isEqualTo(pixels(first.get(i)));
        }
        assertThat(pixels(other.get(0))).isNotEqualTo(pixels(first.get(0)));
        // An image depends on its prompt and index, not on what else is in the batch.
        List<BufferedImage> alone = model.sample(PROMPTS.subList(0, 1), options);
        assertThat(maxPixelDifference(alone.get(1), first.get(1))).isLessThanOrEqualTo(1);
    }

    @Test
    void aRequestSampledWithOthersStartsFromItsOwnNoiseAndGetsTheImagesItGetsAlone() {
        List<BufferedImage> batched = model.sample(List.of(new SamplingRequest("a red picture", 7, 1),
                new SamplingRequest("blue", 9, 2), new SamplingRequest("blue", 7, 1)), 4, 2f);
        List<BufferedImage> alone = model.sample(List.of("blue"), new SamplingOptions(4, 2f, 2, 9));

        assertThat(batched).hasSize(4);
        for (int k = 0; k < 2; k++) {
            assertThat(maxPixelDifference(batched.get(1 + k), alone.get(k))).as("image %d", k).isLessThanOrEqualTo(1);
        }
        // The seed, not the place in the batch, picks the noise: another seed gives another image.
        assertThat(pixels(batched.get(3))).isNotEqualTo(pixels(batched.get(1)));
    }

    @Test
    void savedModelLoadsAndSamplesTheSameImages(@TempDir Path directory) throws Exception {
        model.save(directory);
        SamplingOptions options = new SamplingOptions(3, 1.5f, 1, 5);
        try (DiffusionModel loaded = DiffusionModel.load(directory)) {
            assertThat(loaded.getConfig()).isEqualTo(model.getConfig());
            assertThat(loaded.getVocabulary()).isEqualTo(model.getVocabulary());
            var saved = model.getBlock().getParameters();
            var read = loaded.getBlock().getParameters();
            assertThat(read.keys()).isEqualTo(saved.keys());
            for (int i = 0; i < saved.size(); i++) {
                assertThat(read.valueAt(i).getArray().toFloatArray()).as(saved.keyAt(i))
                        .isEqualTo(saved.valueAt(i).getArray().toFloatArray());
            }
            // Same weights, same images; within one level, as a tensor read from disk can take
            // another kernel path than one built in memory (one pixel differed by 1 on some CPUs).
            assertThat(maxPixelDifference(loaded.sample(PROMPTS, options).get(1), model.sample(PROMPTS, options).get(1)))
                    .isLessThanOrEqualTo(1);
        }
    }

    static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static int maxPixelDifference(BufferedImage a, BufferedImage b) {
        int[] pa = pixels(a);
        int[] pb = pixels(b);
        int max = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                max = Math.max(max, Math.abs(((pa[i] >> shift) & 0xFF) - ((pb[i] >> shift) & 0xFF)));
            }
        }
        return max;
    }
}
