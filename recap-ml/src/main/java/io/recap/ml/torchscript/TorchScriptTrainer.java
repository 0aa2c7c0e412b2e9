package io.recap.ml.torchscript;

import java.nio.file.Path;

/** A fine-tune of imported TorchScript graphs, as a job drives it: its step count and its checkpoints. */
public interface TorchScriptTrainer extends AutoCloseable {

    /** Steps done so far, including those before a resume. */
    int stepCount();

    /** Writes a checkpoint (an imported model folder plus the optimizer state) to {@code folder}. */
    void checkpoint(Path folder);

    @Override
    void close();
}
