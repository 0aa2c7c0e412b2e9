package io.recap.shapesml.captioner.eval;

import io.recap.ml.captioner.Captioner;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.ml.captioner.GeneratedCaption;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.text.CaptionAccuracySummary;
import io.recap.shapesml.captioner.data.EvaluationScene;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Captions held-out scenes and scores them against their ground truth with ShapesWorld's
 * {@link CaptionAccuracySummary}; never looks at the captions the captioner was trained on.
 */
public final class CaptionerEvaluator {

    /** Images decoded per call; beam search multiplies the rows by the beam size. */
    public static final int BATCH = 50;

    private final List<EvaluationScene> scenes;
    private final List<Scene> truths;

    public CaptionerEvaluator(List<EvaluationScene> scenes) {
        if (scenes.isEmpty()) {
            throw new IllegalArgumentException("no evaluation scenes");
        }
        this.scenes = List.copyOf(scenes);
        this.truths = scenes.stream().map(EvaluationScene::scene).toList();
    }

    public int size() {
        return scenes.size();
    }

    /** The corpus's own alt-text of the evaluation scenes: the baseline RECAP replaces. */
    public QualityRow altText() {
        List<String> texts = scenes.stream().map(scene -> scene.entry().altText()).toList();
        return new QualityRow("alt-text", "-", "-", CaptionAccuracySummary.score(texts, truths), texts, 0);
    }

    /** Captions every scene in {@code style} and scores the captions. */
    public QualityRow evaluate(String source, Captioner captioner, String style, DecodingOptions options) {
        long begin = System.nanoTime();
        List<String> texts = new ArrayList<>(scenes.size());
        for (int from = 0; from < scenes.size(); from += BATCH) {
            List<BufferedImage> images = scenes.subList(from, Math.min(scenes.size(), from + BATCH)).stream()
                    .map(EvaluationScene::image).toList();
            for (GeneratedCaption caption : captioner.caption(images, style, options)) {
                texts.add(caption.text());
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new QualityRow(source, style, options.describe(), CaptionAccuracySummary.score(texts, truths), texts,
                seconds);
    }
}
