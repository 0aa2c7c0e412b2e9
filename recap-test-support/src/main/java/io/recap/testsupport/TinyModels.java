package io.recap.testsupport;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.domain.ModelRef;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.diffusion.DiffusionConfig;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.text.Vocabulary;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Small untrained models published into a model store, for tests of what carries a model (pipelines, services),
 * not of what it has learnt. The weights come from the seed alone, so a test gets the same model every run, and
 * different seeds give different captions. Creating one takes less than loading a trained one would, so nothing
 * is cached. Tests that need a caption for every image use the repository's shipped captioner instead.
 */
public final class TinyModels {

    /** An 8-token context: an untrained captioner stops decoding soon. */
    public static final CaptionerConfig CAPTIONER = new CaptionerConfig(32, 4, 8, 32, 1, 2, 0.1f, 8);

    private TinyModels() {
    }

    /** The vocabulary {@link #captioner} uses: a few ShapesWorld captions, both styles. */
    public static Vocabulary captionerVocabulary() {
        return Vocabulary.build(List.of("a red circle", "two blue squares at the top left"), List.of("short", "long"), 1);
    }

    /** Publishes the tiny captioner ({@link #CAPTIONER}, {@link #captionerVocabulary()}) as {@code ref}. */
    public static ModelRef captioner(Path store, ModelRef ref, int seed) throws Exception {
        return captioner(store, ref, CAPTIONER, captionerVocabulary(), seed);
    }

    /** Publishes an untrained captioner of another shape as {@code ref}. */
    public static ModelRef captioner(Path store, ModelRef ref, CaptionerConfig config, Vocabulary vocabulary, int seed)
            throws Exception {
        try (CaptionerModel model = CaptionerModel.create(config, vocabulary, seed)) {
            new ModelStore(store).publish(manifest(ModelKind.CAPTIONER, ref, seed), model::save);
        }
        return ref;
    }

    /** Publishes an untrained text-to-image model of the smoke architecture, knowing the words of {@code prompts}. */
    public static ModelRef textToImage(Path store, ModelRef ref, List<String> prompts, int seed) throws Exception {
        try (DiffusionModel model = DiffusionModel.create(DiffusionConfig.smoke(), Vocabulary.build(prompts, List.of(), 1),
                seed)) {
            new ModelStore(store).publish(manifest(ModelKind.TEXT_TO_IMAGE, ref, seed), model::save);
        }
        return ref;
    }

    /** The seed is recorded as a hyper-parameter, so a failing test's store says which model it had. */
    private static ModelManifest manifest(ModelKind kind, ModelRef ref, int seed) {
        return new ModelManifest(kind, ref.name(), ref.version(), "untrained test model", Map.of("seed", seed),
                ModelManifest.Lineage.NONE, Map.of(), Instant.now());
    }
}
