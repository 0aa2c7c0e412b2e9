package io.recap.core.messages;

import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import java.time.Instant;

/** Tells serving services that a model version was promoted (load it) or retired (stop serving it). */
public record ModelEvent(int schemaVersion, Kind kind, ModelRef model, Instant timestamp) implements RecapMessage {

    public enum Kind { PROMOTED, RETIRED }

    public ModelEvent {
        RecapMessage.requireSupportedVersion(schemaVersion);
        Require.present(kind, "kind");
        Require.present(model, "model");
        Require.present(timestamp, "timestamp");
    }

    public static ModelEvent promoted(ModelRef model) {
        return new ModelEvent(CURRENT_SCHEMA_VERSION, Kind.PROMOTED, model, Instant.now());
    }

    public static ModelEvent retired(ModelRef model) {
        return new ModelEvent(CURRENT_SCHEMA_VERSION, Kind.RETIRED, model, Instant.now());
    }

    /** The model kind ("captioner", "text-to-image"): events about one kind of model stay in order. */
    @Override
    public String key() {
        return model.kind().pathSegment();
    }
}
