package io.recap.service.security;

import io.recap.core.security.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hashed API keys a service accepts: the configured entries and the key file, which is read again when its
 * modification time changes. A file that turns unreadable or invalid after start-up keeps the last good keys and
 * says so in the log; at start-up it is an error.
 */
public final class ApiKeyStore {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyStore.class);

    private final List<ApiKeys.Entry> configured;
    private final Path file;
    private volatile List<ApiKeys.Entry> fromFile = List.of();
    private volatile FileTime loadedAt;
    private volatile FileTime failedAt;
    private volatile boolean missingReported;

    public ApiKeyStore(List<ApiKeys.Entry> configured, Path file) {
        this.configured = List.copyOf(configured);
        this.file = file;
        if (file != null) {
            try {
                reload();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API key file " + file, e);
            }
        }
    }

    static ApiKeyStore from(RecapSecurityProperties properties) {
        List<ApiKeys.Entry> entries = new ArrayList<>();
        for (int i = 0; i < properties.apiKeys().size(); i++) {
            entries.add(ApiKeys.parse(properties.apiKeys().get(i), "recap.security.api-keys[" + i + "]"));
        }
        return new ApiKeyStore(entries, properties.apiKeysFile());
    }

    /** Whether any key could ever match (the file may gain keys later). */
    public boolean configured() {
        return !configured.isEmpty() || file != null;
    }

    /** The entry whose hash matches the presented key. */
    public Optional<ApiKeys.Entry> find(String presentedKey) {
        refresh();
        byte[] hash = ApiKeys.sha256(presentedKey);
        ApiKeys.Entry match = null;
        // Compare with every entry in constant time, so timing tells nothing about which hash came close.
        for (List<ApiKeys.Entry> entries : List.of(configured, fromFile)) {
            for (ApiKeys.Entry entry : entries) {
                if (MessageDigest.isEqual(entry.sha256(), hash) && match == null) {
                    match = entry;
                }
            }
        }
        return Optional.ofNullable(match);
    }

    private void refresh() {
        if (file == null) {
            return;
        }
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            if (!missingReported) {
                missingReported = true;
                log.warn("cannot read the API key file {} ({}); keeping the {} key(s) read before", file, e.getMessage(),
                        fromFile.size());
            }
            return;
        }
        missingReported = false;
        if (modified.equals(loadedAt) || modified.equals(failedAt)) {
            return;
        }
        try {
            reload();
            log.info("API key file {} changed: {} key(s)", file, fromFile.size());
        } catch (IOException | RuntimeException e) {
            failedAt = modified;
            log.warn("cannot re-read the API key file {} ({}); keeping the {} key(s) read before", file,
                    e.getMessage(), fromFile.size());
        }
    }

    private synchronized void reload() throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        fromFile = List.copyOf(ApiKeys.read(file));
        loadedAt = modified;
    }
}
