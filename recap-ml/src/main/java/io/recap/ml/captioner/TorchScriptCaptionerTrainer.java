package io.recap.ml.captioner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.torchscript.TorchScriptConfig;
import io.recap.ml.torchscript.TorchScriptFineTune;
import io.recap.ml.torchscript.TorchScriptTrainer;
import io.recap.ml.training.MaskedSoftmaxCrossEntropy;
import io.recap.ml.training.StepOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fine-tunes an imported BLIP-shaped captioner's graphs on captioned images by teacher forcing: the decoder reads
 * {@code bos, style prompt, caption} and is scored on the caption's words and its end token only, as BLIP is
 * fine-tuned. Batches are drawn with the fine-tune's own random stream, so a resumed run sees the batches the
 * uninterrupted run would have.
 */
public final class TorchScriptCaptionerTrainer implements TorchScriptTrainer {

    private final Path modelFolder;
    private final TorchScriptCaptioner captioner;
    private final TorchScriptFineTune fineTune;

    private TorchScriptCaptionerTrainer(Path modelFolder, TorchScriptCaptioner captioner, TorchScriptFineTune fineTune) {
        this.modelFolder = modelFolder;
        this.captioner = captioner;
        this.fineTune = fineTune;
    }

    /** Starts from the imported model in {@code base}. */
    public static TorchScriptCaptionerTrainer start(Path base, TorchScriptFineTune.Settings settings) throws IOException {
        TorchScriptCaptioner captioner = TorchScriptCaptioner.loadTrainable(base);
        return new TorchScriptCaptionerTrainer(base, captioner, TorchScriptFineTune.start(captioner.graphs(),
                TorchScriptConfig.CAPTIONER_GRAPHS, settings));
    }

    /** Continues from a checkpoint written by {@link #checkpoint(Path)}. */
    public static TorchScriptCaptionerTrainer resume(Path checkpoint) throws IOException {
        TorchScriptCaptioner captioner = TorchScriptCaptioner.loadTrainable(checkpoint);
        try {
            return new TorchScriptCaptionerTrainer(checkpoint, captioner,
                    TorchScriptFineTune.resume(captioner.graphs(), TorchScriptConfig.CAPTIONER_GRAPHS, checkpoint));
        } catch (IOException | RuntimeException e) {
            captioner.close();
            throw e;
        }
    }

    /** Steps until the step count reaches {@code stopStep} (at most the planned steps), reporting each step. */
    public void trainUntil(List<CaptionExample> examples, int stopStep, Consumer<StepOutcome> onStep) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        int stop = Math.min(stopStep, fineTune.settings().steps());
        while (fineTune.stepCount() < stop) {
            List<CaptionExample> batch = new ArrayList<>();
            for (int i = 0; i < fineTune.settings().batchSize(); i++) {
                batch.add(examples.get(fineTune.random().nextInt(examples.size())));
            }
            onStep.accept(fineTune.step(() -> loss(batch)));
        }
    }

    private NDArray loss(List<CaptionExample> batch) {
        var tokenizer = captioner.tokenizer();
        List<int[]> rows = new ArrayList<>();
        List<Integer> promptLengths = new ArrayList<>();
        int length = 0;
        for (CaptionExample example : batch) {
            int[] prefix = tokenizer.prefix(captioner.prompt(example.style()), 2);
            long[] words = tokenizer.words(example.caption());
            int room = Math.max(0, tokenizer.maxTokens() - prefix.length - 1);
            int[] row = new int[prefix.length + Math.min(words.length, room) + 1];
            System.arraycopy(prefix, 0, row, 0, prefix.length);
            for (int i = 0; i < Math.min(words.length, room); i++) {
                row[prefix.length + i] = (int) words[i];
            }
            row[row.length - 1] = tokenizer.eos();
            rows.add(row);
            promptLengths.add(prefix.length);
            length = Math.max(length, row.length);
        }
        long[] inputs = new long[batch.size() * (length - 1)];
        long[] targets = new long[batch.size() * (length - 1)];
        java.util.Arrays.fill(inputs, tokenizer.pad());
        java.util.Arrays.fill(targets, tokenizer.pad());
        for (int r = 0; r < rows.size(); r++) {
            int[] row = rows.get(r);
            for (int t = 0; t + 1 < row.length; t++) {
                inputs[r * (length - 1) + t] = row[t];
                // The prompt is given, not learned: only the caption's words and its end are scored.
                if (t + 1 >= promptLengths.get(r)) {
                    targets[r * (length - 1) + t] = row[t + 1];
                }
            }
        }
        NDManager manager = captioner.graphs().manager("text_decoder");
        Shape shape = new Shape(batch.size(), length - 1);
        NDArray embeddings = captioner.encodeImages(manager, batch.stream().map(CaptionExample::image).toList(), true);
        NDArray logits = captioner.logits(manager.create(inputs, shape), embeddings, true);
        return new MaskedSoftmaxCrossEntropy(tokenizer.pad())
                .evaluate(new NDList(manager.create(targets, shape)), new NDList(logits));
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

    public TorchScriptCaptioner captioner() {
        return captioner;
    }

    @Override
    public void close() {
        captioner.close();
    }
}
