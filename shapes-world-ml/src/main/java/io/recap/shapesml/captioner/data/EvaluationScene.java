package io.recap.shapesml.captioner.data;

import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.scene.Scene;
import java.awt.image.BufferedImage;

/** A held-out scene: its manifest entry (ground truth, alt-text) and its rendered image. */
public record EvaluationScene(CorpusEntry entry, BufferedImage image) {

    public Scene scene() {
        return entry.scene();
    }
}
