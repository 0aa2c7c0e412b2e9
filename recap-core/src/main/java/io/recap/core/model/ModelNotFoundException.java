package io.recap.core.model;

import io.recap.core.domain.ModelRef;

/** The requested model version is not in the store. */
public class ModelNotFoundException extends RuntimeException {

    private final ModelRef ref;

    public ModelNotFoundException(ModelRef ref) {
        super("model " + ref + " is not in the model store");
        this.ref = ref;
    }

    public ModelRef ref() {
        return ref;
    }
}
