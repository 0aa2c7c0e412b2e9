package io.recap.experiments.peer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.recap.core.domain.CaptionMix;
import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.CaptionerTrainer;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.DiffusionTrainer;
import io.recap.ml.diffusion.DiffusionTrainingPreset;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.shapesml.diffusion.ShapesWorldData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * PyTorch profiler traces (Chrome trace JSON, the format {@code torch.profiler} exports) of the
 * benchmark's ops on the DJL side, one file per op, for {@code peer/profile_summary.py} to set
 * beside the PyTorch peer's: which native ops each side issues, how many, and their time.
 */
final class Profiles {

    private Profiles() {
    }

    static void record(String network, Path directory) throws IOException {
        Files.createDirectories(directory);
        if ("t2i".equals(network)) {
            textToImage(directory);
        } else {
            captioner(directory);
        }
    }

    private static void textToImage(Path directory) {
        List<DiffusionExample> examples = PeerBenchmark.textToImageExamples();
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.small(),
                ShapesWorldData.vocabulary(examples), 1)) {
            DjlRuntime.prepareCurrentThread();
            try (NDManager manager = model.getModel().getNDManager().newSubManager()) {
                ParameterStore parameters = new ParameterStore(manager, false);
                NDArray ids = model.tokenize(manager, Collections.nCopies(2, PeerBenchmark.PROMPT));
                NDList text = model.getBlock().encodeText(parameters, ids, false);
                NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
                NDArray t = manager.full(new Shape(2), 500f);
                Runnable forward = () -> {
                    try (NDScope scope = new NDScope()) {
                        scope.suppressNotUsedWarning();
                        model.getBlock().denoise(parameters, x, t, text, false).toFloatArray();
                    }
                };
                profile(directory.resolve("t2i_forward_b2-djl.json"), warm(forward), forward);
            }
            DiffusionTrainingPreset preset = DiffusionTrainingPreset.small()
                    .withSteps(1_000_000).withSchedule(1_000_000, 0, 0);
            try (DiffusionTrainer trainer = DiffusionTrainer.start(model, preset, CaptionMix.LONG_ONLY)) {
                int[] step = {0};
                Runnable oneStep = () -> trainer.trainUntil(examples, ++step[0]);
                profile(directory.resolve("t2i_train_step_b32-djl.json"), () -> {
                    oneStep.run();
                    oneStep.run();
                }, oneStep);
            }
        }
    }

    private static void captioner(Path directory) {
        try (CaptionerModel captioner = CaptionerModel.create(CaptionerConfig.small(),
                PeerBenchmark.captionerVocabulary(), 1)) {
            int size = captioner.getConfig().imageSize();
            DecodingOptions greedy = PeerBenchmark.greedy(captioner);
            List<BufferedImage> one = PeerBenchmark.images(1, size);
            Runnable decode = () -> captioner.caption(one, "long", greedy);
            profile(directory.resolve("cap_greedy_b1-djl.json"), warm(decode), decode);
            List<BufferedImage> batch = PeerBenchmark.images(32, size);
            Runnable decodeBatch = () -> captioner.caption(batch, "long", greedy);
            profile(directory.resolve("cap_greedy_b32-djl.json"), warm(decodeBatch), decodeBatch);
            CaptionerTrainer trainer = new CaptionerTrainer(captioner, PeerBenchmark.captionerRun(1));
            CaptionBatchSource source = PeerBenchmark.captionBatches(size);
            Runnable oneStep = () -> trainer.train(source);
            profile(directory.resolve("cap_train_step_b32-djl.json"), () -> {
                oneStep.run();
                oneStep.run();
            }, oneStep);
        }
    }

    /** The op run for {@link PeerBenchmark#WARMUP_SECONDS}, so the JIT has compiled the Java side first. */
    private static Runnable warm(Runnable op) {
        return () -> {
            long until = System.nanoTime() + (long) (PeerBenchmark.WARMUP_SECONDS * 1e9);
            do {
                op.run();
            } while (System.nanoTime() < until);
        };
    }

    /** Runs {@code warmup}, then records one run of {@code op}. */
    private static void profile(Path trace, Runnable warmup, Runnable op) {
        warmup.run();
        JniUtils.startProfile(false, false, false);
        op.run();
        JniUtils.stopProfile(trace.toString());
        System.out.println("wrote " + trace);
    }
}
