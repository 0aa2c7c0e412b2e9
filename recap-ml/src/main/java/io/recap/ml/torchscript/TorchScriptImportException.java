package io.recap.ml.torchscript;

/** An imported model that cannot be used, with the file (and where known the tensor) that is wrong. */
public class TorchScriptImportException extends IllegalArgumentException {

    private final String file;

    public TorchScriptImportException(String file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    public TorchScriptImportException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file inside the model folder that is wrong. */
    public String file() {
        return file;
    }
}
