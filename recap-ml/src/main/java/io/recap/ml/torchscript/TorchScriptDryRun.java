package io.recap.ml.torchscript;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.recap.core.domain.ModelKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks an imported model folder before it is published: only the files the format names, a readable config and
 * tokenizer, and every graph run once on a batch of two with the shapes its role requires. A mismatch is refused as a
 * {@link TorchScriptImportException} naming the file and the tensor, so a user sees which export to redo.
 */
public final class TorchScriptDryRun {

    /** Files an imported model may hold besides its graphs (the store adds its manifest and checksums). */
    private static final Set<String> OTHER_FILES = Set.of(TorchScriptConfig.FILE_NAME, TorchScriptConfig.TOKENIZER_FILE,
            "manifest.json", "SHA256SUMS");
    private static final int BATCH = 2;

    /**
     * What the dry run saw: the config, and each graph's output shape on a batch of two.
     *
     * @param config the folder's torchscript.json
     * @param outputs graph name → the shape it returned
     */
    public record Report(TorchScriptConfig config, Map<String, List<Long>> outputs) {
    }

    private TorchScriptDryRun() {
    }

    public static Report check(Path folder) throws IOException {
        TorchScriptConfig config = TorchScriptConfig.read(folder);
        refuseOtherFiles(folder, config);
        try (ImportedTokenizer tokenizer = ImportedTokenizer.load(folder, config.tokens());
                TorchScriptGraphs graphs = TorchScriptGraphs.load(folder, config.graphsIn(folder));
                NDManager manager = graphs.manager(config.graphs().get(0)).newSubManager()) {
            Map<String, List<Long>> outputs = new LinkedHashMap<>();
            if (config.kind() == ModelKind.CAPTIONER) {
                checkCaptioner(config, tokenizer, graphs, manager, outputs);
            } else {
                checkPipeline(config, tokenizer, graphs, manager, outputs);
            }
            return new Report(config, outputs);
        }
    }

    private static void refuseOtherFiles(Path folder, TorchScriptConfig config) throws IOException {
        List<String> allowed = new ArrayList<>(OTHER_FILES);
        config.graphs().forEach(graph -> allowed.add(graph + ".pt"));
        if (config.kind() == ModelKind.TEXT_TO_IMAGE) {
            allowed.add(TorchScriptConfig.VAE_ENCODER + ".pt");
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!allowed.contains(name) || !Files.isRegularFile(file)) {
                    throw new TorchScriptImportException(name, "not part of an imported " + config.kind()
                            + " (it may hold only " + allowed.stream().filter(f -> !f.equals("manifest.json")
                            && !f.equals("SHA256SUMS")).sorted().toList() + "; nothing else is loaded or kept)");
                }
            }
        }
    }

    private static void checkCaptioner(TorchScriptConfig config, ImportedTokenizer tokenizer, TorchScriptGraphs graphs,
            NDManager manager, Map<String, List<Long>> outputs) {
        int size = config.image().size();
        NDArray pixels = manager.randomNormal(new Shape(BATCH, 3, size, size));
        NDArray embeddings = graphs.runFirst("vision_encoder", new NDList(pixels), false);
        record(outputs, "vision_encoder", embeddings);
        expectRank("vision_encoder.pt", "image_embeds", embeddings, 3, "(batch, tokens, width)");
        expectDimension("vision_encoder.pt", "image_embeds", embeddings, 0, BATCH, "the batch of pixel_values");

        int length = Math.min(4, tokenizer.maxTokens());
        NDArray ids = manager.full(new Shape(BATCH, length), tokenizer.bos(), DataType.INT64);
        NDArray logits = graphs.runFirst("text_decoder", new NDList(ids, embeddings), false);
        record(outputs, "text_decoder", logits);
        expectRank("text_decoder.pt", "logits", logits, 3, "(batch, tokens, vocabulary)");
        expectDimension("text_decoder.pt", "logits", logits, 0, BATCH, "the batch of input_ids");
        expectDimension("text_decoder.pt", "logits", logits, 1, length, "the length of input_ids");
        long vocabulary = logits.getShape().get(2);
        if (vocabulary < tokenizer.vocabularySize()) {
            throw new TorchScriptImportException("text_decoder.pt", "logits" + logits.getShape() + " score "
                    + vocabulary + " tokens but tokenizer.json has " + tokenizer.vocabularySize());
        }
    }

    private static void checkPipeline(TorchScriptConfig config, ImportedTokenizer tokenizer, TorchScriptGraphs graphs,
            NDManager manager, Map<String, List<Long>> outputs) {
        NDArray ids = manager.full(new Shape(BATCH, tokenizer.maxTokens()), tokenizer.pad(), DataType.INT64);
        NDArray hidden = graphs.runFirst("text_encoder", new NDList(ids), false);
        record(outputs, "text_encoder", hidden);
        expectRank("text_encoder.pt", "last_hidden_state", hidden, 3, "(batch, tokens, width)");
        expectDimension("text_encoder.pt", "last_hidden_state", hidden, 0, BATCH, "the batch of input_ids");

        TorchScriptConfig.Latent latent = config.latent();
        Shape latentShape = new Shape(BATCH, latent.channels(), latent.size(), latent.size());
        NDArray latents = manager.randomNormal(latentShape);
        NDArray timesteps = manager.full(new Shape(BATCH), config.scheduler().trainTimesteps() - 1, DataType.INT64);
        NDArray prediction = graphs.runFirst("unet", new NDList(latents, timesteps, hidden), false);
        record(outputs, "unet", prediction);
        if (!prediction.getShape().equals(latentShape)) {
            throw new TorchScriptImportException("unet.pt", "its output" + prediction.getShape()
                    + " must have the shape of the latents" + latentShape + " (latent.channels and latent.size in "
                    + TorchScriptConfig.FILE_NAME + ")");
        }

        NDArray image = graphs.runFirst("vae_decoder", new NDList(latents), false);
        record(outputs, "vae_decoder", image);
        long side = (long) latent.size() * latent.downsample();
        Shape expected = new Shape(BATCH, 3, side, side);
        if (!image.getShape().equals(expected)) {
            throw new TorchScriptImportException("vae_decoder.pt", "its image" + image.getShape() + " must be "
                    + expected + " (latent.size x latent.downsample in " + TorchScriptConfig.FILE_NAME + ")");
        }
        if (graphs.names().contains(TorchScriptConfig.VAE_ENCODER)) {
            NDArray encoded = graphs.runFirst(TorchScriptConfig.VAE_ENCODER, new NDList(image), false);
            record(outputs, TorchScriptConfig.VAE_ENCODER, encoded);
            if (!encoded.getShape().equals(latentShape)) {
                throw new TorchScriptImportException("vae_encoder.pt", "its latents" + encoded.getShape()
                        + " must have the shape the unet takes" + latentShape);
            }
        }
    }

    private static void record(Map<String, List<Long>> outputs, String graph, NDArray output) {
        outputs.put(graph, java.util.Arrays.stream(output.getShape().getShape()).boxed().toList());
    }

    private static void expectRank(String file, String tensor, NDArray array, int rank, String meaning) {
        if (array.getShape().dimension() != rank) {
            throw new TorchScriptImportException(file, tensor + array.getShape() + " must have " + rank
                    + " dimensions " + meaning);
        }
    }

    private static void expectDimension(String file, String tensor, NDArray array, int axis, long size, String what) {
        if (array.getShape().get(axis) != size) {
            throw new TorchScriptImportException(file, tensor + array.getShape() + " dimension " + axis + " must be "
                    + size + ", " + what);
        }
    }
}
