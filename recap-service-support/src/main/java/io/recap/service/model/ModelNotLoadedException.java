package io.recap.service.model;

/** No model is in memory yet (none promoted, or loading failed). */
public class ModelNotLoadedException extends RuntimeException {

    public ModelNotLoadedException(String what, String reason) {
        super("no " + what + " is loaded" + (reason == null ? "" : ": " + reason));
    }
}
