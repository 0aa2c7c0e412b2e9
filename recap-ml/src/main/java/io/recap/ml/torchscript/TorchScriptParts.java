package io.recap.ml.torchscript;

import io.recap.core.domain.ModelKind;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What an imported model folder loads into: its config, tokenizer and graphs. For serving, the graphs its kind
 * needs with frozen parameters; for fine-tuning, every graph the folder holds (a pipeline's VAE encoder too) with
 * parameters that take gradients.
 */
public record TorchScriptParts(TorchScriptConfig config, ImportedTokenizer tokenizer, TorchScriptGraphs graphs)
        implements AutoCloseable {

    /** Opens {@code directory}, refusing a config of another kind than {@code expected}. */
    public static TorchScriptParts open(Path directory, ModelKind expected, boolean trainable) throws IOException {
        TorchScriptConfig config = TorchScriptConfig.read(directory);
        if (config.kind() != expected) {
            throw new TorchScriptImportException(TorchScriptConfig.FILE_NAME,
                    "kind is " + config.kind() + ", not " + expected);
        }
        ImportedTokenizer tokenizer = ImportedTokenizer.load(directory, config.tokens());
        try {
            TorchScriptGraphs graphs = trainable
                    ? TorchScriptGraphs.loadTrainable(directory, config.graphsIn(directory))
                    : TorchScriptGraphs.load(directory, config.graphs());
            return new TorchScriptParts(config, tokenizer, graphs);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public void close() {
        graphs.close();
        tokenizer.close();
    }
}
