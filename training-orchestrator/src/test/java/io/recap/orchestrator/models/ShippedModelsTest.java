package io.recap.orchestrator.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelManifest;
import io.recap.core.json.Json;
import io.recap.core.model.ModelChecksums;
import io.recap.ml.captioner.CaptionerModel;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.diffusion.DiffusionModel;
import io.recap.ml.diffusion.SamplingOptions;
import io.recap.ml.evaluation.ContrastiveModel;
import io.recap.ml.evaluation.FeatureNetwork;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.SceneGenerator;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretrained bases shipped in {@code models/} at the repository root: each version matches its
 * {@code SHA256SUMS} and loads and runs as its kind says (a caption, a sample, features, a CLIP score).
 */
class ShippedModelsTest {

    static final Path MODELS = Path.of("").toAbsolutePath().getParent().resolve("models");

    @Test
    void everyShippedVersionMatchesItsChecksumsAndRuns() throws Exception {
        List<Path> versions = versions();
        assertThat(versions).as("shipped versions under %s", MODELS).hasSizeGreaterThanOrEqualTo(4);
        BufferedImage image = SceneRenderer.render(SceneGenerator.generate(7, 0), 64);
        for (Path version : versions) {
            Map<String, String> sums = ModelChecksums.verify(version);
            assertThat(sums).containsKey(ModelManifest.FILE_NAME);
            ModelManifest manifest = Json.read(Files.readAllBytes(version.resolve(ModelManifest.FILE_NAME)),
                    ModelManifest.class);
            assertThat(manifest.hyperParameters()).as("%s says how it was made", version)
                    .containsKeys("shipped.command", "shipped.trainingCorpus");
            switch (manifest.kind()) {
                case CAPTIONER -> {
                    try (CaptionerModel captioner = CaptionerModel.load(version)) {
                        String caption = captioner.caption(List.of(image), captioner.getVocabulary().styles().get(0),
                                DecodingOptions.greedy()).get(0).text();
                        assertThat(caption).isNotBlank();
                    }
                }
                case TEXT_TO_IMAGE -> {
                    try (DiffusionModel model = DiffusionModel.load(version)) {
                        List<BufferedImage> sampled = model.sample(List.of("a red circle"),
                                new SamplingOptions(2, 3f, 1, 7));
                        assertThat(sampled).singleElement().extracting(BufferedImage::getWidth)
                                .isEqualTo(model.getConfig().imageSize());
                    }
                }
                case EVALUATOR -> {
                    if (Files.exists(version.resolve(FeatureNetwork.CONFIG_FILE))) {
                        try (FeatureNetwork network = FeatureNetwork.load(version)) {
                            assertThat(network.features(List.of(image))[0]).hasSize(network.config().width());
                        }
                    } else {
                        try (ContrastiveModel model = ContrastiveModel.load(version)) {
                            assertThat(model.scores(List.of(image), List.of("a shape"))[0]).isBetween(0.0, 100.0);
                        }
                    }
                }
            }
        }
        assertThat(versions).anyMatch(v -> v.startsWith(MODELS.resolve(ModelKind.CAPTIONER.pathSegment())))
                .anyMatch(v -> v.startsWith(MODELS.resolve(ModelKind.TEXT_TO_IMAGE.pathSegment())));
    }

    @Test
    void aChangedByteIsRefusedNamingTheFile(@TempDir Path copy) throws Exception {
        Path version = versions().get(0);
        try (Stream<Path> files = Files.walk(version)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = copy.resolve(version.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        ModelChecksums.verify(copy);
        Path manifest = copy.resolve(ModelManifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest) + " ");
        assertThatThrownBy(() -> ModelChecksums.verify(copy)).hasMessageContaining(ModelManifest.FILE_NAME)
                .hasMessageContaining("SHA-256");
    }

    private static List<Path> versions() throws Exception {
        try (Stream<Path> walk = Files.walk(MODELS, 3)) {
            return walk.filter(dir -> Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))).sorted().toList();
        }
    }
}
