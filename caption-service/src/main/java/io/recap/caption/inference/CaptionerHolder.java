package io.recap.caption.inference;

import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Owns the captioner in memory. Loads the configured (or promoted) version from the model store,
 * follows promotions by polling the store's pointer, and swaps models without dropping requests:
 * a batch holds the read lock while it decodes, a swap takes the write lock only to exchange the
 * reference and close the old model. Reports DOWN to readiness until a model is loaded.
 */
@Component("captioner")
public class CaptionerHolder implements HealthIndicator, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptionerHolder.class);

    private final ModelStore store;
    private final Optional<ModelRef> pinned;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile LoadedCaptioner current;
    private volatile String lastError;

    public CaptionerHolder(ModelStore store, CaptionServiceProperties properties) {
        this.store = store;
        this.pinned = properties.model().isBlank()
                ? Optional.empty()
                : Optional.of(ModelRef.parse(properties.model()).requireKind(ModelKind.CAPTIONER));
    }

    /** Runs {@code work} with the current captioner, which cannot be swapped out meanwhile. */
    public <T> T withCaptioner(Function<LoadedCaptioner, T> work) {
        lock.readLock().lock();
        try {
            LoadedCaptioner loaded = current;
            if (loaded == null) {
                throw new ModelNotLoadedException(lastError);
            }
            return work.apply(loaded);
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<ModelRef> currentRef() {
        LoadedCaptioner loaded = current;
        return loaded == null ? Optional.empty() : Optional.of(loaded.ref());
    }

    /** Loads the wanted version if it differs from the one in memory; called at start and on a timer. */
    @Scheduled(initialDelay = 0, fixedDelayString = "${recap.caption.model-poll-interval:10s}")
    public void refresh() {
        try {
            wanted().ifPresentOrElse(this::load, () -> lastError = "no captioner is promoted in " + store);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.warn("captioner refresh failed: {}", e.getMessage());
        }
    }

    /** Loads {@code ref} (if not already in memory) and makes it current. */
    public synchronized ModelRef load(ModelRef ref) {
        if (currentRef().filter(ref::equals).isPresent()) {
            return ref;
        }
        long start = System.nanoTime();
        CaptionerModel model;
        try {
            model = CaptionerModel.load(store.directory(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load captioner " + ref, e);
        }
        LoadedCaptioner previous;
        lock.writeLock().lock();
        try {
            previous = current;
            current = new LoadedCaptioner(ref, model);
            lastError = null;
        } finally {
            lock.writeLock().unlock();
        }
        if (previous != null) {
            previous.model().close();
        }
        log.info("captioner {} loaded in {} ms ({} parameters)", ref,
                (System.nanoTime() - start) / 1_000_000, model.parameterCount());
        return ref;
    }

    private Optional<ModelRef> wanted() {
        return pinned.isPresent() ? pinned : store.promoted(ModelKind.CAPTIONER);
    }

    @Override
    public Health health() {
        LoadedCaptioner loaded = current;
        if (loaded == null) {
            return Health.down().withDetail("reason", lastError == null ? "loading" : lastError).build();
        }
        return Health.up().withDetail("model", loaded.ref().toString()).build();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (current != null) {
                current.model().close();
                current = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
