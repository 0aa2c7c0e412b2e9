package io.recap.orchestrator.registry;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.messages.ModelEvent;
import io.recap.core.messages.Topics;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.events.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry over the {@link ModelStore}: versions and their manifests (architecture,
 * hyper-parameters, lineage, metrics) are read from the store; promotion moves the store's pointer,
 * is recorded here and announced on {@code recap.models.events}.
 */
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    private final ModelStore store;
    private final PromotionRepository promotions;
    private final EventPublisher events;
    private final Clock clock;
    private final PromotionPolicy policy;

    public ModelRegistry(ModelStore store, PromotionRepository promotions, EventPublisher events, Clock clock,
            PromotionPolicy policy) {
        this.store = store;
        this.promotions = promotions;
        this.events = events;
        this.clock = clock;
        this.policy = policy;
    }

    /** Versions of one kind, or of every kind when {@code kind} is null; oldest first. */
    public List<ModelSummary> list(ModelKind kind) {
        List<ModelSummary> models = new ArrayList<>();
        for (ModelKind k : kind == null ? ModelKind.values() : new ModelKind[] {kind}) {
            Optional<ModelRef> promoted = store.promoted(k);
            for (ModelManifest manifest : store.list(k)) {
                models.add(new ModelSummary(manifest.ref(), manifest.architecture(), manifest.createdAt(),
                        manifest.metrics(), manifest.lineage(), promoted.map(manifest.ref()::equals).orElse(false)));
            }
        }
        return models;
    }

    /** @throws io.recap.core.model.ModelNotFoundException if the version is not in the store */
    public ModelDetails get(ModelRef ref) {
        ModelManifest manifest = store.manifest(ref);
        boolean promoted = store.promoted(ref.kind()).map(ref::equals).orElse(false);
        List<PromotionRepository.Promotion> history = promotions.history(ref.kind(), 100).stream()
                .filter(p -> p.model().equals(ref)).toList();
        return new ModelDetails(ref, manifest, promoted, history);
    }

    /**
     * Points services at this version: rewrites the store's pointer, records the promotion and publishes
     * a PROMOTED {@link ModelEvent} (keyed by kind).
     *
     * @throws io.recap.core.model.ModelNotFoundException if the version is not in the store
     * @throws PromotionRefusedException if the version does not meet the promotion policy; nothing changes then
     */
    public PromotionResult promote(ModelRef ref) {
        policy.check(store.manifest(ref));
        store.promote(ref);
        Instant now = clock.instant();
        promotions.insert(ref, now);
        boolean published = true;
        try {
            events.publishAndWait(Topics.MODEL_EVENTS, ModelEvent.promoted(ref));
        } catch (EventPublisher.EventPublishException e) {
            // The pointer moved; services that miss the event still find it when they re-read the pointer.
            log.error("promoted {} but could not publish the event: {}", ref, e.getMessage());
            published = false;
        }
        log.info("promoted {}", ref);
        return new PromotionResult(ref, now, published);
    }

    /** A version as listed. */
    public record ModelSummary(ModelRef model, String architecture, Instant createdAt,
            java.util.Map<String, Double> metrics, ModelManifest.Lineage lineage, boolean promoted) {
    }

    /** A version with its manifest and promotion history. */
    public record ModelDetails(ModelRef model, ModelManifest manifest, boolean promoted,
            List<PromotionRepository.Promotion> promotions) {
    }

    /**
     * @param eventPublished false if {@code recap.models.events} could not be reached (the pointer moved anyway)
     */
    public record PromotionResult(ModelRef model, Instant promotedAt, boolean eventPublished) {
    }
}
