package io.recap.orchestrator.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The API key the orchestrator's command-line clients present: from {@code --api-key-file}, else {@code RECAP_API_KEY}. */
public final class ClientApiKey {

    public static final String HEADER = "X-API-Key";
    public static final String ENVIRONMENT = "RECAP_API_KEY";

    private ClientApiKey() {
    }

    public static String read(Path file) throws IOException {
        String key = file != null ? Files.readString(file, StandardCharsets.UTF_8).strip()
                : System.getenv().getOrDefault(ENVIRONMENT, "").strip();
        if (key.isEmpty()) {
            throw new IOException("no API key: give --api-key-file FILE or set " + ENVIRONMENT + " (docs/security.md)");
        }
        return key;
    }
}
