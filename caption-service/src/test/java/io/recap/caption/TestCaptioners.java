package io.recap.caption;

import io.recap.core.domain.ModelRef;
import io.recap.core.image.PngCodec;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.text.Vocabulary;
import io.recap.testsupport.TinyModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** The caption service's tiny captioner and sample image: the service's API does not depend on caption quality. */
public final class TestCaptioners {

    /** The smoke architecture with a 12-token context, so an untrained model stops decoding soon. */
    private static final CaptionerConfig SHORT_CONTEXT = new CaptionerConfig(32, 4, 16, 64, 2, 4, 0.1f, 12);

    private TestCaptioners() {
    }

    public static ModelRef publishAndPromote(Path storeRoot, String version) throws Exception {
        Vocabulary vocabulary = Vocabulary.build(
                List.of("a red circle", "a blue square at the top left", "two green triangles"),
                List.of("short", "long"), 1);
        ModelRef ref = TinyModels.captioner(storeRoot, ModelRef.captioner("test-captioner", version), SHORT_CONTEXT,
                vocabulary, 7);
        new ModelStore(storeRoot).promote(ref);
        return ref;
    }

    public static byte[] samplePng() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.RED);
        g.fillOval(8, 8, 20, 20);
        g.dispose();
        return PngCodec.encode(image);
    }
}
