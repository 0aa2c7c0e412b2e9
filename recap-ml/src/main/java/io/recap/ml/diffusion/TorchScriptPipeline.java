package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.recap.core.domain.ModelKind;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.torchscript.ImportedTokenizer;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptGraphs;
import io.recap.ml.torchscript.TorchScriptParts;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Stable-Diffusion-shaped text-to-image pipeline imported as three TorchScript graphs, with the scheduler in Java
 * (as DJL's Stable Diffusion example runs it): {@code text_encoder} (ids (B, 77) → hidden states (B, 77, D)),
 * {@code unet} (latents (B, C, h, w), timesteps (B) int64, hidden states → noise or v (B, C, h, w)) and
 * {@code vae_decoder} (latents / scale → image (B, 3, 8h, 8w) in [-1, 1]). Sampling is the platform's DDIM (eta 0)
 * with classifier-free guidance over the training schedule {@code torchscript.json} names.
 */
public final class TorchScriptPipeline extends ChunkedSampler {

    private final TorchScriptConfig config;
    private final TorchScriptGraphs graphs;
    private final ImportedTokenizer tokenizer;
    private final NoiseSchedule schedule;
    private final Prediction prediction;

    private TorchScriptPipeline(TorchScriptConfig config, TorchScriptGraphs graphs, ImportedTokenizer tokenizer) {
        this.config = config;
        this.graphs = graphs;
        this.tokenizer = tokenizer;
        TorchScriptConfig.Scheduler scheduler = config.scheduler();
        this.schedule = NoiseSchedule.ofBetas(scheduler.trainTimesteps(), scheduler.betaStart(), scheduler.betaEnd(),
                "scaled_linear".equals(scheduler.betaSchedule()));
        this.prediction = "v_prediction".equals(scheduler.predictionType()) ? Prediction.V : Prediction.EPSILON;
    }

    /** Loads the graphs and tokenizer of {@code directory} for serving (parameters frozen). */
    public static TorchScriptPipeline load(Path directory) throws IOException {
        return load(directory, false);
    }

    /** Loads them with parameters that take gradients, for fine-tuning. */
    public static TorchScriptPipeline loadTrainable(Path directory) throws IOException {
        return load(directory, true);
    }

    private static TorchScriptPipeline load(Path directory, boolean trainable) throws IOException {
        // Fine-tuning encodes its images to latents: only then does the VAE encoder load.
        TorchScriptParts parts = TorchScriptParts.open(directory, ModelKind.TEXT_TO_IMAGE, trainable);
        return new TorchScriptPipeline(parts.config(), parts.graphs(), parts.tokenizer());
    }

    @Override
    NDManager chunkManager() {
        return graphs.manager("unet").newSubManager();
    }

    @Override
    List<BufferedImage> sampleChunk(NDManager manager, List<NoiseRow> chunk, int steps, float guidance) {
        TorchScriptConfig.Latent latent = config.latent();
        NDArray noise = SeededNoise.gaussian(manager, chunk, latent.channels(), latent.size());
        NDArray latents = denoise(manager, noise, chunk.stream().map(NoiseRow::prompt).toList(), steps, guidance);
        return ImageTensors.toImages(decode(latents));
    }

    private NDArray denoise(NDManager manager, NDArray noise, List<String> prompts, int steps, float guidance) {
        boolean guided = guidance != 1f;
        List<String> texts = new ArrayList<>(prompts);
        if (guided) {
            texts.addAll(Collections.nCopies(prompts.size(), ""));
        }
        NDArray hidden = encodeText(manager, texts, false);
        int[] timesteps = schedule.samplingSteps(steps);
        NDArray x = noise;
        for (int i = 0; i < timesteps.length; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new SamplingCancelledException(i, timesteps.length);
            }
            int t = timesteps[i];
            NDArray input = guided ? x.concat(x, 0) : x;
            NDArray output = predict(manager, input, t, hidden, false);
            if (guided) {
                NDArray conditional = output.get("0:{}", prompts.size());
                NDArray unconditional = output.get("{}:", prompts.size());
                output = unconditional.add(conditional.sub(unconditional).mul(guidance));
            }
            x = DdimSampler.step(schedule, prediction, x, output, t, i + 1 < timesteps.length ? timesteps[i + 1] : -1,
                    false);
        }
        return x;
    }

    /** Hidden states (B, 77, D) of the texts, each framed and padded as a CLIP text encoder takes it. */
    NDArray encodeText(NDManager manager, List<String> texts, boolean training) {
        long[] ids = new long[texts.size() * tokenizer.maxTokens()];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(tokenizer.padded(texts.get(i)), 0, ids, i * tokenizer.maxTokens(), tokenizer.maxTokens());
        }
        NDArray input = manager.create(ids, new Shape(texts.size(), tokenizer.maxTokens()));
        return graphs.runFirst("text_encoder", new NDList(input), training);
    }

    /** The UNet's output for latents x at timestep t (one value for every row). */
    NDArray predict(NDManager manager, NDArray x, int t, NDArray hidden, boolean training) {
        NDArray timesteps = manager.full(new Shape(x.getShape().get(0)), t, DataType.INT64);
        return graphs.runFirst("unet", new NDList(x, timesteps, hidden), training);
    }

    /** Timesteps (B) for predict with a different t per row, as training draws them. */
    NDArray predict(NDArray x, NDArray timesteps, NDArray hidden, boolean training) {
        return graphs.runFirst("unet", new NDList(x, timesteps.toType(DataType.INT64, false), hidden), training);
    }

    /** Latents in the UNet's scale (B, C, h, w) of images (B, 3, H, W) in [-1, 1]; needs {@code vae_encoder.pt}. */
    NDArray encode(NDArray images) {
        return graphs.runFirst(TorchScriptConfig.VAE_ENCODER, new NDList(images), false)
                .mul((float) config.latent().scale());
    }

    /** Images (B, 3, H, W) in [-1, 1] from latents in the UNet's scale. */
    NDArray decode(NDArray latents) {
        return graphs.runFirst("vae_decoder", new NDList(latents.div((float) config.latent().scale())), false);
    }

    /** The side of the square images the pipeline draws. */
    @Override
    public int imageSize() {
        return config.latent().size() * config.latent().downsample();
    }

    @Override
    public int promptTokens(String prompt) {
        return tokenizer.words(prompt == null ? "" : prompt).length + 2;
    }

    @Override
    public int contextLength() {
        return tokenizer.maxTokens();
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public Prediction prediction() {
        return prediction;
    }

    public TorchScriptConfig config() {
        return config;
    }

    public TorchScriptGraphs graphs() {
        return graphs;
    }

    @Override
    public void close() {
        graphs.close();
        tokenizer.close();
    }
}
