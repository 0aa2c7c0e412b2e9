package io.recap.ml.captioner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.recap.core.domain.ModelKind;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.ml.torchscript.ImportedTokenizer;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptGraphs;
import io.recap.ml.torchscript.TorchScriptParts;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A BLIP-shaped captioner imported as two TorchScript graphs: {@code vision_encoder} (pixel values (B, 3, S, S) →
 * image embeddings (B, N, D)) and {@code text_decoder} (token ids (B, T) and image embeddings → logits (B, T, V)).
 * The search runs in Java, the same beam search as the platform's own captioner; a caption style is the text
 * prefix {@code torchscript.json} gives it (BLIP's "a picture of").
 */
public final class TorchScriptCaptioner implements Captioner {

    private final TorchScriptConfig config;
    private final TorchScriptGraphs graphs;
    private final ImportedTokenizer tokenizer;

    private TorchScriptCaptioner(TorchScriptConfig config, TorchScriptGraphs graphs, ImportedTokenizer tokenizer) {
        this.config = config;
        this.graphs = graphs;
        this.tokenizer = tokenizer;
    }

    /** Loads the graphs and tokenizer of {@code directory} for serving (parameters frozen). */
    public static TorchScriptCaptioner load(Path directory) throws IOException {
        return load(directory, false);
    }

    /** Loads them with parameters that take gradients, for fine-tuning. */
    public static TorchScriptCaptioner loadTrainable(Path directory) throws IOException {
        return load(directory, true);
    }

    private static TorchScriptCaptioner load(Path directory, boolean trainable) throws IOException {
        TorchScriptParts parts = TorchScriptParts.open(directory, ModelKind.CAPTIONER, trainable);
        return new TorchScriptCaptioner(parts.config(), parts.graphs(), parts.tokenizer());
    }

    /** Decodes one caption per image in {@code style} (a key of the config's prompts, any case). */
    @Override
    public List<GeneratedCaption> caption(List<BufferedImage> images, String style, DecodingOptions options) {
        DjlRuntime.prepareCurrentThread();
        if (images.isEmpty()) {
            return List.of();
        }
        int[] prompt = tokenizer.prefix(prompt(style), 1);
        BeamSearch search = new BeamSearch(tokenSpace(), options.withMaxTokens(
                Math.min(options.maxTokens(), tokenizer.maxTokens())));
        try (NDManager manager = graphs.manager("vision_encoder").newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray embeddings = encodeImages(manager, images, false);
            return search.decode((imageOfRow, sequences) -> {
                try (NDScope step = new NDScope()) {
                    step.suppressNotUsedWarning();
                    return nextLogProbabilities(manager, embeddings, imageOfRow, sequences);
                }
            }, images.size(), prompt);
        }
    }

    /** Image embeddings (B, N, D) of the images, preprocessed as the config says. */
    NDArray encodeImages(NDManager manager, List<BufferedImage> images, boolean training) {
        TorchScriptConfig.Image image = config.image();
        Object interpolation = "bilinear".equals(image.resize())
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_BICUBIC;
        NDArray pixels = ImageTensors.toNormalizedTensor(manager, images, image.size(), interpolation,
                floats(image.mean()), floats(image.std()));
        return graphs.runFirst("vision_encoder", new NDList(pixels), training);
    }

    /** Logits (rows, T, V) for token ids (rows, T) over the embeddings of each row's image. */
    NDArray logits(NDArray ids, NDArray embeddings, boolean training) {
        return graphs.runFirst("text_decoder", new NDList(ids, embeddings), training);
    }

    private float[][] nextLogProbabilities(NDManager manager, NDArray embeddings, int[] imageOfRow, int[][] sequences) {
        int rows = sequences.length;
        int length = sequences[0].length;
        long[] ids = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                ids[r * length + t] = sequences[r][t];
            }
        }
        NDArray rowImages = manager.create(java.util.Arrays.stream(imageOfRow).asLongStream().toArray());
        NDArray logits = logits(manager.create(ids, new Shape(rows, length)), embeddings.get(rowImages), false);
        NDArray last = logits.get(":, -1, :").toType(DataType.FLOAT32, false).logSoftmax(-1);
        int vocabulary = (int) last.getShape().get(1);
        float[] flat = last.toFloatArray();
        float[][] result = new float[rows][];
        for (int r = 0; r < rows; r++) {
            result[r] = java.util.Arrays.copyOfRange(flat, r * vocabulary, (r + 1) * vocabulary);
        }
        return result;
    }

    private BeamSearch.TokenSpace tokenSpace() {
        return new BeamSearch.TokenSpace() {
            @Override
            public int eosId() {
                return tokenizer.eos();
            }

            @Override
            public boolean isControl(int id) {
                // Decoders often have more logits than the tokenizer has tokens (BLIP pads its head); those never decode.
                return tokenizer.isSpecial(id) || id >= tokenizer.vocabularySize();
            }

            @Override
            public String decode(int[] generated) {
                return tokenizer.decode(generated);
            }
        };
    }

    /** The text prefix of {@code style}; an unknown style is refused with the styles the model has. */
    public String prompt(String style) {
        for (Map.Entry<String, String> entry : config.prompts().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(style)) {
                return entry.getValue();
            }
        }
        throw new IllegalArgumentException("this captioner has no style " + style + "; it has "
                + config.prompts().keySet().stream().map(s -> s.toLowerCase(Locale.ROOT)).sorted().toList());
    }

    @Override
    public List<String> styles() {
        return config.prompts().keySet().stream().map(style -> style.toLowerCase(Locale.ROOT)).sorted().toList();
    }

    /** The side of the square images the vision encoder takes. */
    @Override
    public int inputSize() {
        return config.image().size();
    }

    public TorchScriptConfig config() {
        return config;
    }

    public ImportedTokenizer tokenizer() {
        return tokenizer;
    }

    public TorchScriptGraphs graphs() {
        return graphs;
    }

    private static float[] floats(List<Double> values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i).floatValue();
        }
        return result;
    }

    @Override
    public void close() {
        graphs.close();
        tokenizer.close();
    }
}
