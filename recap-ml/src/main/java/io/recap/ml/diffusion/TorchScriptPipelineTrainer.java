package io.recap.ml.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptTrainer;
import io.recap.ml.torchscript.TorchScriptImportException;
import io.recap.ml.training.CheckpointableRandom;
import io.recap.ml.training.StepOutcome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fine-tunes an imported Stable-Diffusion-shaped pipeline as Stable Diffusion is fine-tuned: images encoded to latents
 * by the frozen {@code vae_encoder}, a random timestep and noise per image, the UNet and the text encoder trained to
 * predict the schedule's target (noise or v) under the caption, the caption dropped for a fraction of images so that
 * classifier-free guidance keeps working. Batches, timesteps and noise come from the fine-tune's own random stream,
 * so a resumed run continues the uninterrupted one.
 */
public final class TorchScriptPipelineTrainer implements TorchScriptTrainer {

    /** What the fine-tune trains; the VAE only moves images in and out of the latent space. */
    static final List<String> TRAINED = List.of("text_encoder", "unet");

    private final Path modelFolder;
    private final TorchScriptPipeline pipeline;
    private final TorchScriptFineTune fineTune;
    private final float promptDropout;

    private TorchScriptPipelineTrainer(Path modelFolder, TorchScriptPipeline pipeline, TorchScriptFineTune fineTune,
            float promptDropout) {
        this.modelFolder = modelFolder;
        this.pipeline = pipeline;
        this.fineTune = fineTune;
        this.promptDropout = promptDropout;
    }

    /** Starts from the imported pipeline in {@code base}, which must hold {@code vae_encoder.pt}. */
    public static TorchScriptPipelineTrainer start(Path base, TorchScriptFineTune.Settings settings, float promptDropout)
            throws IOException {
        requireEncoder(base);
        TorchScriptPipeline pipeline = TorchScriptPipeline.loadTrainable(base);
        return new TorchScriptPipelineTrainer(base, pipeline,
                TorchScriptFineTune.start(pipeline.graphs(), TRAINED, settings), promptDropout);
    }

    /** Continues from a checkpoint written by {@link #checkpoint(Path)}. */
    public static TorchScriptPipelineTrainer resume(Path checkpoint, float promptDropout) throws IOException {
        requireEncoder(checkpoint);
        TorchScriptPipeline pipeline = TorchScriptPipeline.loadTrainable(checkpoint);
        try {
            return new TorchScriptPipelineTrainer(checkpoint, pipeline,
                    TorchScriptFineTune.resume(pipeline.graphs(), TRAINED, checkpoint), promptDropout);
        } catch (IOException | RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }

    private static void requireEncoder(Path folder) {
        if (!Files.isRegularFile(folder.resolve(TorchScriptConfig.VAE_ENCODER + ".pt"))) {
            throw new TorchScriptImportException(TorchScriptConfig.VAE_ENCODER + ".pt",
                    "missing: fine-tuning encodes its training images to latents (export the VAE's encoder too)");
        }
    }

    /**
     * Steps until the step count reaches {@code stopStep} (at most the planned steps), reporting each step. Each
     * sample's caption style is drawn by {@code mix}, afresh at every step, as the platform's own trainer does.
     */
    public void trainUntil(List<DiffusionExample> examples, CaptionMix mix, int stopStep,
            Consumer<StepOutcome> onStep) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        int stop = Math.min(stopStep, fineTune.settings().steps());
        while (fineTune.stepCount() < stop) {
            CheckpointableRandom random = fineTune.random();
            int batch = fineTune.settings().batchSize();
            List<BufferedImage> images = new ArrayList<>(batch);
            List<String> captions = new ArrayList<>(batch);
            int[] timesteps = new int[batch];
            for (int i = 0; i < batch; i++) {
                DiffusionExample example = examples.get(random.nextInt(examples.size()));
                images.add(example.image());
                String caption = example.caption(mix.pick(random.nextDouble()));
                captions.add(random.nextDouble() < promptDropout ? "" : caption);
                timesteps[i] = random.nextInt(pipeline.schedule().steps());
            }
            long noiseSeed = random.nextLong();
            onStep.accept(fineTune.step(() -> loss(images, captions, timesteps, noiseSeed)));
        }
    }

    private NDArray loss(List<BufferedImage> images, List<String> captions, int[] timesteps, long noiseSeed) {
        NDManager manager = pipeline.graphs().manager("unet");
        NoiseSchedule schedule = pipeline.schedule();
        int batch = images.size();
        float[] signal = new float[batch];
        float[] noiseLevel = new float[batch];
        long[] steps = new long[batch];
        for (int i = 0; i < batch; i++) {
            signal[i] = schedule.signal(timesteps[i]);
            noiseLevel[i] = schedule.noise(timesteps[i]);
            steps[i] = timesteps[i];
        }
        NDArray clean = pipeline.encode(ImageTensors.toTensor(manager, images, pipeline.imageSize()));
        Shape latentShape = clean.getShape();
        NDArray noise = SeededNoise.gaussian(manager, noiseSeed, batch, (int) latentShape.get(1),
                (int) latentShape.get(2));
        NDArray a = manager.create(signal, new Shape(batch, 1, 1, 1));
        NDArray s = manager.create(noiseLevel, new Shape(batch, 1, 1, 1));
        NDArray noisy = clean.mul(a).add(noise.mul(s));
        NDArray hidden = pipeline.encodeText(manager, captions, true);
        NDArray output = pipeline.predict(noisy, manager.create(steps).toType(DataType.INT64, false), hidden, true);
        NDArray target = pipeline.prediction().target(clean, noise, a, s);
        return output.sub(target).square().mean();
    }

    @Override
    public void checkpoint(Path folder) {
        fineTune.checkpoint(modelFolder, folder);
    }

    @Override
    public int stepCount() {
        return fineTune.stepCount();
    }

    public List<Float> losses() {
        return fineTune.losses();
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
