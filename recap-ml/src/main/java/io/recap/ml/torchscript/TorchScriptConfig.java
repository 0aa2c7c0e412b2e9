package io.recap.ml.torchscript;

import io.recap.core.domain.ModelKind;
import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Contents of {@code torchscript.json}, the file beside imported TorchScript graphs that says how to feed them.
 * A captioner needs {@code image}, {@code tokens} and {@code prompts}; a text-to-image pipeline {@code tokens},
 * {@code latent} and {@code scheduler}.
 *
 * @param format always {@value #FORMAT}
 * @param kind the model kind the graphs implement
 * @param architecture free text recorded in the manifest (for example "blip-image-captioning-base")
 * @param image a captioner's preprocessing
 * @param tokens the tokenizer's special tokens and context length
 * @param prompts a captioner's text prefix per caption style (upper-case style names, for example SHORT, LONG)
 * @param latent a pipeline's latent space
 * @param scheduler a pipeline's noise schedule, as diffusers' scheduler config names it
 */
public record TorchScriptConfig(
        String format,
        ModelKind kind,
        String architecture,
        Image image,
        Tokens tokens,
        Map<String, String> prompts,
        Latent latent,
        Scheduler scheduler) {

    public static final String FILE_NAME = "torchscript.json";
    public static final String FORMAT = "torchscript";
    /** The graphs each kind needs, as {@code <name>.pt} files. */
    public static final List<String> CAPTIONER_GRAPHS = List.of("vision_encoder", "text_decoder");
    public static final List<String> TEXT_TO_IMAGE_GRAPHS = List.of("text_encoder", "unet", "vae_decoder");
    /** A pipeline's image → latent graph: serving does not need it, fine-tuning (which trains on images) does. */
    public static final String VAE_ENCODER = "vae_encoder";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /**
     * @param size side of the square input
     * @param resize "bicubic" or "bilinear"
     * @param mean per-channel mean subtracted from pixels in [0, 1]
     * @param std per-channel standard deviation they are divided by
     */
    public record Image(int size, String resize, List<Double> mean, List<Double> std) {
        public Image {
            require(size >= 8 && size <= 1024, "image.size must be in 8..1024: " + size);
            require(resize == null || resize.equals("bicubic") || resize.equals("bilinear"),
                    "image.resize must be bicubic or bilinear: " + resize);
            require(mean != null && mean.size() == 3, "image.mean must hold 3 values");
            require(std != null && std.size() == 3 && std.stream().allMatch(s -> s > 0),
                    "image.std must hold 3 positive values");
        }
    }

    /**
     * @param bos the token a sequence starts with
     * @param eos the token that ends a caption
     * @param pad the padding token
     * @param maxTokens the longest sequence the graphs take (77 for a CLIP text encoder)
     */
    public record Tokens(String bos, String eos, String pad, int maxTokens) {
        public Tokens {
            require(bos != null && eos != null && pad != null, "tokens.bos, tokens.eos and tokens.pad are required");
            require(maxTokens >= 3 && maxTokens <= 512, "tokens.maxTokens must be in 3..512: " + maxTokens);
        }
    }

    /**
     * @param channels latent channels (4 for Stable Diffusion 1.x)
     * @param size side of the square latent
     * @param downsample image pixels per latent pixel (8)
     * @param scale the VAE's scaling factor (0.18215): latents are divided by it before decoding
     */
    public record Latent(int channels, int size, int downsample, double scale) {
        public Latent {
            require(channels >= 1 && size >= 1 && downsample >= 1 && scale > 0, "latent values must be positive");
        }
    }

    /**
     * @param trainTimesteps T of the training schedule (1000)
     * @param betaSchedule "scaled_linear" (Stable Diffusion) or "linear"
     * @param predictionType "epsilon" or "v_prediction"
     */
    public record Scheduler(int trainTimesteps, double betaStart, double betaEnd, String betaSchedule,
            String predictionType) {
        public Scheduler {
            require(trainTimesteps >= 2, "scheduler.trainTimesteps must be at least 2");
            require(betaStart > 0 && betaEnd > betaStart && betaEnd < 1, "scheduler betas must satisfy 0 < start < end < 1");
            require("scaled_linear".equals(betaSchedule) || "linear".equals(betaSchedule),
                    "scheduler.betaSchedule must be scaled_linear or linear: " + betaSchedule);
            require("epsilon".equals(predictionType) || "v_prediction".equals(predictionType),
                    "scheduler.predictionType must be epsilon or v_prediction: " + predictionType);
        }
    }

    public TorchScriptConfig {
        require(FORMAT.equals(format), "format must be \"" + FORMAT + "\": " + format);
        require(kind == ModelKind.CAPTIONER || kind == ModelKind.TEXT_TO_IMAGE,
                "kind must be CAPTIONER or TEXT_TO_IMAGE: " + kind);
        require(tokens != null, "tokens is required");
        if (kind == ModelKind.CAPTIONER) {
            require(image != null, "a captioner needs image");
            require(prompts != null && !prompts.isEmpty(), "a captioner needs prompts, one per caption style");
            prompts = Map.copyOf(prompts);
        } else {
            require(latent != null && scheduler != null, "a text-to-image pipeline needs latent and scheduler");
        }
    }

    /** The graphs this configuration's kind needs. */
    public List<String> graphs() {
        return kind == ModelKind.CAPTIONER ? CAPTIONER_GRAPHS : TEXT_TO_IMAGE_GRAPHS;
    }

    /** The graphs present in {@code directory}: those the kind needs, and a pipeline's encoder when it is there. */
    public List<String> graphsIn(Path directory) {
        if (kind == ModelKind.TEXT_TO_IMAGE && Files.isRegularFile(directory.resolve(VAE_ENCODER + ".pt"))) {
            return java.util.stream.Stream.concat(graphs().stream(), java.util.stream.Stream.of(VAE_ENCODER)).toList();
        }
        return graphs();
    }

    /** Whether a model directory holds an imported TorchScript model rather than one of the platform's own. */
    public static boolean isTorchScript(Path directory) {
        return Files.isRegularFile(directory.resolve(FILE_NAME));
    }

    public static TorchScriptConfig read(Path directory) throws IOException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new TorchScriptImportException(FILE_NAME, "missing");
        }
        try {
            return Json.read(Files.readAllBytes(file), TorchScriptConfig.class);
        } catch (InvalidJsonException e) {
            throw new TorchScriptImportException(FILE_NAME, e.getMessage(), e);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
