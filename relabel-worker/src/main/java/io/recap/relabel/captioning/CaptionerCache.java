package io.recap.relabel.captioning;

import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.Captioner;
import io.recap.relabel.config.RelabelWorkerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The captioner versions this worker has in memory, least recently used evicted (and closed):
 * requests name the exact version they want, and a relabel run keeps asking for the same one.
 */
@Component
public class CaptionerCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptionerCache.class);

    private final ModelStore store;
    private final int capacity;
    private final LinkedHashMap<ModelRef, Captioner> loaded = new LinkedHashMap<>(4, 0.75f, true);

    public CaptionerCache(ModelStore store, RelabelWorkerProperties properties) {
        this.store = store;
        this.capacity = Math.max(1, properties.loadedCaptioners());
    }

    /**
     * @throws io.recap.core.model.ModelNotFoundException when the version is not in the store
     */
    public synchronized Captioner get(ModelRef ref) {
        Captioner model = loaded.get(ref);
        if (model != null) {
            return model;
        }
        try {
            model = Captioner.load(store.directory(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load captioner " + ref, e);
        }
        log.info("loaded captioner {}", ref);
        loaded.put(ref, model);
        if (loaded.size() > capacity) {
            Map.Entry<ModelRef, Captioner> eldest = loaded.entrySet().iterator().next();
            loaded.remove(eldest.getKey());
            eldest.getValue().close();
        }
        return model;
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(Captioner::close);
        loaded.clear();
    }
}
