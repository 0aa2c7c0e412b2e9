package io.recap.core.model;

import io.recap.core.domain.ModelRef;

/** A published version whose files no longer match the SHA-256 its manifest recorded: never loaded. */
public class ModelIntegrityException extends RuntimeException {

    private final ModelRef ref;

    public ModelIntegrityException(ModelRef ref, String message) {
        super(ref + ": " + message);
        this.ref = ref;
    }

    public ModelRef ref() {
        return ref;
    }
}
