package io.recap.launcher;

import io.recap.core.security.ApiKeys;
import io.recap.core.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The local mode's admin API key: {@code security/admin.key} under the data directory (mode 0600, the plain key, for
 * the person who started the platform) and its hash in {@code security/api-keys}, the file every service is started
 * with. A key made by an earlier run is kept as long as its hash is still in the file, so scripts that read the key
 * file keep working across runs; delete both files to make a new one.
 */
final class LocalApiKey {

    static final String KEY_NAME = "local-admin";

    private final Path keysFile;
    private final Path keyFile;
    private final String key;

    private LocalApiKey(Path keysFile, Path keyFile, String key) {
        this.keysFile = keysFile;
        this.keyFile = keyFile;
        this.key = key;
    }

    /** Reads the admin key of {@code data}, or makes one. */
    static LocalApiKey ensure(Path data) {
        Path dir = data.resolve("security");
        Path keysFile = dir.resolve("api-keys");
        Path keyFile = dir.resolve("admin.key");
        try {
            if (Files.exists(keyFile) && Files.exists(keysFile)) {
                String existing = Files.readString(keyFile, StandardCharsets.UTF_8).strip();
                byte[] hash = ApiKeys.sha256(existing);
                for (ApiKeys.Entry entry : ApiKeys.read(keysFile)) {
                    if (MessageDigest.isEqual(entry.sha256(), hash) && entry.role() == Role.ADMIN) {
                        return new LocalApiKey(keysFile, keyFile, existing);
                    }
                }
            }
            String key = ApiKeys.generate();
            ApiKeys.append(keysFile, ApiKeys.entry(KEY_NAME, Role.ADMIN, key));
            ApiKeys.writeSecret(keyFile, key);
            return new LocalApiKey(keysFile, keyFile, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the local API key under " + dir, e);
        }
    }

    /** The hashed keys the services accept ({@code recap.security.api-keys-file}). */
    Path keysFile() {
        return keysFile;
    }

    /** Where the plain admin key is. */
    Path keyFile() {
        return keyFile;
    }

    String key() {
        return key;
    }
}
