package io.recap.orchestrator.jobs;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import io.recap.service.web.InvalidFieldException;

/**
 * Checks the spec records make in their constructors. Each refusal is an {@link InvalidFieldException} naming
 * {@code spec.<field>}, so the record's own rule is what a client is told, whether the record was bound from a
 * request, from {@code RECAP_JOB_SPEC} or built in code.
 */
final class SpecFields {

    private SpecFields() {
    }

    static String path(String name) {
        return "spec." + name;
    }

    static <T> T required(T value, String name) {
        if (value == null) {
            throw new InvalidFieldException(path(name), path(name) + " is required");
        }
        return value;
    }

    /** A corpus or human-set id, or null where the field is absent. */
    static String optionalId(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return Require.safeId(value, path(name));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(path(name), e.getMessage());
        }
    }

    static String requiredId(String value, String name) {
        return optionalId(required(value, name), name);
    }

    /** Refuses a reference of another kind (a relabel job needs a captioner); null passes for an optional field. */
    static ModelRef ofKind(ModelRef ref, ModelKind expected, String name) {
        if (ref != null && ref.kind() != expected) {
            throw new InvalidFieldException(path(name), path(name) + " must be a " + expected.pathSegment()
                    + " model but was " + ref);
        }
        return ref;
    }
}
