package io.recap.core.model;

import io.recap.core.domain.ModelRef;

/** Versions are immutable: publishing one that exists is refused. */
public class ModelVersionExistsException extends RuntimeException {

    public ModelVersionExistsException(ModelRef ref) {
        super("model " + ref + " already exists; versions are immutable, publish a new version");
    }
}
