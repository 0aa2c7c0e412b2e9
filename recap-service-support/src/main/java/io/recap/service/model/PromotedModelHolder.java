package io.recap.service.model;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Owns the one model a service serves. Loads the pinned version, or else the promoted one, from
 * the model store; {@link #refresh()} (called on a timer and on a promotion event by the service)
 * follows promotions. Swapping never drops a request: work holds the read lock while it uses the
 * model, a swap takes the write lock only to exchange the reference and close the old model. As a
 * health indicator it is DOWN until a model is loaded, which keeps the service out of readiness.
 *
 * @param <M> the in-memory model
 */
public class PromotedModelHolder<M extends AutoCloseable> implements HealthIndicator, AutoCloseable {

    /** Reads a model version's directory into memory. */
    @FunctionalInterface
    public interface ModelLoader<M> {
        M load(Path directory) throws IOException;
    }

    /** A model in memory with the store version it came from. */
    public record Loaded<M>(ModelRef ref, M model) {
    }

    private static final Logger log = LoggerFactory.getLogger(PromotedModelHolder.class);

    private final ModelStore store;
    private final ModelKind kind;
    private final Optional<ModelRef> pinned;
    private final ModelLoader<M> loader;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Loaded<M> current;
    private volatile String lastError;

    /**
     * @param pinned an explicit {@code kind/name/version}, or blank to follow the promoted version
     */
    public PromotedModelHolder(ModelStore store, ModelKind kind, String pinned, ModelLoader<M> loader) {
        this.store = store;
        this.kind = kind;
        this.loader = loader;
        this.pinned = pinned == null || pinned.isBlank()
                ? Optional.empty()
                : Optional.of(ModelRef.parse(pinned).requireKind(kind));
    }

    /** Runs {@code work} with the current model, which cannot be swapped out meanwhile. */
    public <T> T withModel(BiFunction<ModelRef, M, T> work) {
        lock.readLock().lock();
        try {
            Loaded<M> loaded = current;
            if (loaded == null) {
                throw new ModelNotLoadedException(kind.pathSegment() + " model", lastError);
            }
            return work.apply(loaded.ref(), loaded.model());
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<ModelRef> currentRef() {
        Loaded<M> loaded = current;
        return loaded == null ? Optional.empty() : Optional.of(loaded.ref());
    }

    /** Loads the wanted version (pinned, else promoted) if it is not the one in memory. Never throws. */
    public void refresh() {
        try {
            Optional<ModelRef> wanted = pinned.isPresent() ? pinned : store.promoted(kind);
            if (wanted.isPresent()) {
                load(wanted.get());
            } else if (current == null) {
                lastError = "no " + kind.pathSegment() + " model is promoted in the store";
            }
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            log.warn("{} model refresh failed: {}", kind.pathSegment(), e.getMessage());
        }
    }

    /** Loads {@code ref} unless it is already in memory, and makes it current. */
    public synchronized ModelRef load(ModelRef ref) {
        if (currentRef().filter(ref::equals).isPresent()) {
            return ref;
        }
        long start = System.nanoTime();
        M model;
        try {
            model = loader.load(store.directory(ref));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + ref, e);
        }
        Loaded<M> previous;
        lock.writeLock().lock();
        try {
            previous = current;
            current = new Loaded<>(ref, model);
            lastError = null;
        } finally {
            lock.writeLock().unlock();
        }
        closeQuietly(previous);
        log.info("{} loaded in {} ms", ref, (System.nanoTime() - start) / 1_000_000);
        return ref;
    }

    @Override
    public Health health() {
        Loaded<M> loaded = current;
        if (loaded == null) {
            return Health.down().withDetail("reason", lastError == null ? "loading" : lastError).build();
        }
        Health.Builder up = Health.up().withDetail("model", loaded.ref().toString());
        // Still serving the loaded version, but say why a newer promotion was not taken (e.g. weights that no longer
        // match their published checksums).
        String error = lastError;
        return error == null ? up.build() : up.withDetail("lastError", error).build();
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closeQuietly(current);
            current = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void closeQuietly(Loaded<? extends AutoCloseable> loaded) {
        if (loaded == null) {
            return;
        }
        try {
            loaded.model().close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", loaded.ref(), e.getMessage());
        }
    }
}
