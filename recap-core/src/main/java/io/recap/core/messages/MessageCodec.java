package io.recap.core.messages;

import io.recap.core.json.InvalidJsonException;
import io.recap.core.json.Json;

/**
 * JSON encoding of Kafka values. Decoding either returns a fully validated record or throws
 * {@link MalformedMessageException}; no Jackson exception escapes. Unknown fields are ignored so
 * that producers can add fields before consumers are upgraded. Stateless and thread-safe.
 */
public final class MessageCodec {

    public byte[] encode(Object message) {
        if (message == null) {
            throw new IllegalArgumentException("cannot encode a null message");
        }
        return Json.write(message);
    }

    public <T> T decode(byte[] bytes, Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("message type is required");
        }
        try {
            return Json.read(bytes, type);
        } catch (InvalidJsonException e) {
            throw new MalformedMessageException(type.getSimpleName() + ": " + e.reason(), e);
        }
    }
}
