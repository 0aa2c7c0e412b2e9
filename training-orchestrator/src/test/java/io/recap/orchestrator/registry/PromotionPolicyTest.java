package io.recap.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.orchestrator.events.EventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionPolicyTest {

    private static final PromotionPolicy POLICY = PromotionPolicy.parse(List.of("text-to-image:clip_score>=45",
            " captioner : eval.long.recall >= 0.8 "));

    @TempDir
    Path root;

    @Test
    void rulesNameAKindAMetricAndAMinimum() {
        assertThat(POLICY.rules()).containsExactly(
                new PromotionPolicy.Rule(ModelKind.TEXT_TO_IMAGE, "clip_score", 45),
                new PromotionPolicy.Rule(ModelKind.CAPTIONER, "eval.long.recall", 0.8));
        assertThat(PromotionPolicy.parse(null).rules()).isEmpty();
    }

    @Test
    void aRuleThatIsNotKindMetricAtLeastNumberStopsTheStartWithItsText() {
        for (String bad : List.of("clip_score>=45", "text-to-image:clip_score>45", "text-to-image:clip_score>=abc",
                "robot:clip_score>=1", "text-to-image:clip_score>=NaN", "")) {
            assertThatThrownBy(() -> PromotionPolicy.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void aVersionIsPromotedOnlyWithEveryRequiredMetricOfItsKindAtOrAboveTheMinimum() {
        POLICY.check(manifest(ModelKind.TEXT_TO_IMAGE, Map.of("clip_score", 45.0)));
        POLICY.check(manifest(ModelKind.EVALUATOR, Map.of()));

        assertThatThrownBy(() -> POLICY.check(manifest(ModelKind.TEXT_TO_IMAGE, Map.of("clip_score", 44.9))))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("its clip_score is 44.9, below the required 45.0")
                .extracting(e -> ((PromotionRefusedException) e).value()).isEqualTo(44.9);
        assertThatThrownBy(() -> POLICY.check(manifest(ModelKind.CAPTIONER, Map.of("bleu", 0.9))))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("it has no metric eval.long.recall (evaluate it first)");
    }

    @Test
    void aRefusedPromotionChangesNothing() throws Exception {
        ModelStore store = new ModelStore(root);
        ModelRef good = publish(store, "v1", 50.0);
        ModelRef worse = publish(store, "v2", 40.0);
        PromotionRepository promotions = mock(PromotionRepository.class);
        EventPublisher events = mock(EventPublisher.class);
        ModelRegistry registry = new ModelRegistry(store, promotions, events, Clock.systemUTC(), POLICY);
        registry.promote(good);
        verify(promotions).insert(any(), any());

        assertThatThrownBy(() -> registry.promote(worse)).isInstanceOf(PromotionRefusedException.class);

        assertThat(store.promoted(ModelKind.TEXT_TO_IMAGE)).contains(good);
        verify(promotions).insert(any(), any());
        verify(events).publishAndWait(any(), any());
    }

    private static ModelRef publish(ModelStore store, String version, double clipScore) throws Exception {
        ModelManifest manifest = new ModelManifest(ModelKind.TEXT_TO_IMAGE, "t2i", version, "test", Map.of(),
                ModelManifest.Lineage.NONE, Map.of("clip_score", clipScore), Instant.now());
        store.publish(manifest, dir -> Files.writeString(dir.resolve("weights"), version));
        return manifest.ref();
    }

    private static ModelManifest manifest(ModelKind kind, Map<String, Double> metrics) {
        return new ModelManifest(kind, "m", "v1", "test", Map.of(), ModelManifest.Lineage.NONE, metrics, Instant.now());
    }
}
