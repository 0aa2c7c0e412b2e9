package io.recap.core.messages;

/** Common shape of every Kafka value: a schema version and the record key it is published under. */
public interface RecapMessage {

    /** The only schema version this code reads and writes. */
    int CURRENT_SCHEMA_VERSION = 1;

    int schemaVersion();

    /** Kafka record key; it fixes ordering and is what consumers deduplicate on. */
    String key();

    /**
     * Rejects versions this code cannot read. Called from each message's compact constructor so
     * that decoding and hand-made construction fail the same way.
     */
    static int requireSupportedVersion(int schemaVersion) {
        if (schemaVersion <= 0 || schemaVersion > CURRENT_SCHEMA_VERSION) {
            throw new IllegalArgumentException("unsupported schemaVersion " + schemaVersion
                    + (schemaVersion == 0 ? " (missing?)" : "") + "; this reader supports 1.." + CURRENT_SCHEMA_VERSION);
        }
        return schemaVersion;
    }
}
