package io.recap.caption.inference;

/** No captioner is in memory yet (none promoted, or loading failed). */
public class ModelNotLoadedException extends RuntimeException {

    public ModelNotLoadedException(String reason) {
        super("no captioner is loaded" + (reason == null ? "" : ": " + reason));
    }
}
