package io.recap.ml.torchscript;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.recap.ml.runtime.DjlRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TorchScript graphs of one imported model, each loaded by DJL's PyTorch engine from {@code <name>.pt}. Loading
 * deserialises TorchScript archives only: their code is TorchScript, run by the engine, never Python.
 *
 * <p>Graphs load frozen for serving; {@link #loadTrainable} loads them with gradients for fine-tuning.
 */
public final class TorchScriptGraphs implements AutoCloseable {

    private final Map<String, Model> models = new LinkedHashMap<>();

    private TorchScriptGraphs() {
    }

    /** Loads {@code names} from {@code directory} with frozen parameters. */
    public static TorchScriptGraphs load(Path directory, List<String> names) {
        return load(directory, names, false);
    }

    /** Loads {@code names} from {@code directory} with parameters that take gradients. */
    public static TorchScriptGraphs loadTrainable(Path directory, List<String> names) {
        return load(directory, names, true);
    }

    private static TorchScriptGraphs load(Path directory, List<String> names, boolean trainable) {
        DjlRuntime.start();
        TorchScriptGraphs graphs = new TorchScriptGraphs();
        try {
            for (String name : names) {
                String file = name + ".pt";
                if (!Files.isRegularFile(directory.resolve(file))) {
                    throw new TorchScriptImportException(file, "missing");
                }
                Model model = Model.newInstance(name, "PyTorch");
                graphs.models.put(name, model);
                try {
                    model.load(directory, name, Map.of("trainParam", Boolean.toString(trainable)));
                } catch (MalformedModelException | IOException | RuntimeException e) {
                    throw new TorchScriptImportException(file, "not a TorchScript archive DJL can load ("
                            + rootMessage(e) + ")", e);
                }
            }
            return graphs;
        } catch (RuntimeException e) {
            graphs.close();
            throw e;
        }
    }

    /** Runs graph {@code name} on {@code inputs}; a failure inside the graph names the graph's file. */
    public NDList run(String name, NDList inputs, boolean training) {
        Model model = model(name);
        try {
            return model.getBlock().forward(new ParameterStore(inputs.head().getManager(), false), inputs, training);
        } catch (RuntimeException e) {
            throw new TorchScriptImportException(name + ".pt", "the graph refused its inputs "
                    + describe(inputs) + " (" + rootMessage(e) + ")", e);
        }
    }

    /** The first output of graph {@code name}. */
    public NDArray runFirst(String name, NDList inputs, boolean training) {
        NDList outputs = run(name, inputs, training);
        if (outputs.isEmpty()) {
            throw new TorchScriptImportException(name + ".pt", "the graph returned no tensor");
        }
        return outputs.get(0);
    }

    public Block block(String name) {
        return model(name).getBlock();
    }

    public NDManager manager(String name) {
        return model(name).getNDManager();
    }

    /**
     * Writes graph {@code name}, with its current parameters, to {@code directory/<name>.pt} as a plain TorchScript
     * archive (the format it was imported in, so a fine-tuned version imports and serves like its base).
     */
    public void save(String name, Path directory) {
        try (OutputStream out = Files.newOutputStream(directory.resolve(name + ".pt"))) {
            JniUtils.writeModule((PtSymbolBlock) block(name), out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + ".pt to " + directory, e);
        }
    }

    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    private Model model(String name) {
        Model model = models.get(name);
        if (model == null) {
            throw new IllegalArgumentException("no graph " + name + " loaded; loaded: " + models.keySet());
        }
        return model;
    }

    static String describe(NDList inputs) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < inputs.size(); i++) {
            NDArray input = inputs.get(i);
            text.append(i == 0 ? "" : ", ").append(input.getDataType()).append(input.getShape());
        }
        return text.append(')').toString();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // TorchScript errors carry a C++ stack trace after the first lines; the reason is at the top.
        String[] lines = message.strip().split("\n");
        return String.join(" ", java.util.Arrays.copyOf(lines, Math.min(lines.length, 3))).strip();
    }

    @Override
    public void close() {
        models.values().forEach(Model::close);
        models.clear();
    }
}
