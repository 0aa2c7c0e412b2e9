package io.recap.shapesml.diffusion;

import io.recap.ml.diffusion.DiffusionExample;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.text.Vocabulary;
import io.recap.shapes.render.SceneRenderer;
import io.recap.shapes.scene.Scene;
import io.recap.shapes.scene.SceneGenerator;
import io.recap.shapes.text.CaptionKind;
import io.recap.shapes.text.CaptionSet;
import io.recap.shapes.text.CaptionWriter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * ShapesWorld scenes rendered in memory as text-to-image training examples (alt-text, SHORT and
 * LONG captions) and as held-out evaluation prompts: training scenes are indices
 * {@code 0..count-1} of a seed, evaluation scenes come from a different seed, so no evaluation
 * prompt's scene was trained on (a prompt's wording may still repeat: the world is small).
 */
public final class ShapesWorldData {

    private ShapesWorldData() {
    }

    /** A held-out prompt and the scene it was written from. */
    public record EvaluationPrompt(String prompt, Scene scene) {
    }

    public static List<DiffusionExample> trainingExamples(long seed, int count, int imageSize, int minObjects,
            int maxObjects) {
        SceneGenerator generator = new SceneGenerator(minObjects, maxObjects);
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            Scene scene = generator.scene(seed, i);
            long sceneSeed = SceneGenerator.sceneSeed(seed, i);
            CaptionSet captions = CaptionWriter.captions(scene, sceneSeed);
            // The renderer draws at least 32x32; smaller (test) sizes are downscaled once here.
            BufferedImage image = ImageTensors.resized(
                    SceneRenderer.render(scene, Math.max(SceneRenderer.MIN_SIZE, imageSize), sceneSeed), imageSize);
            return new DiffusionExample(image, captions.altText(),
                    captions.shortCaption(), captions.longCaption());
        }).toList();
    }

    /** LONG captions of {@code count} scenes of another seed: the evaluation prompts. */
    public static List<EvaluationPrompt> evaluationPrompts(long seed, int count, int minObjects, int maxObjects) {
        SceneGenerator generator = new SceneGenerator(minObjects, maxObjects);
        List<EvaluationPrompt> prompts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Scene scene = generator.scene(seed, i);
            prompts.add(new EvaluationPrompt(
                    CaptionWriter.write(CaptionKind.LONG, scene, SceneGenerator.sceneSeed(seed, i)), scene));
        }
        return prompts;
    }

    /** A vocabulary of every word in the examples' captions of all styles (so any mix can be trained). */
    public static Vocabulary vocabulary(List<DiffusionExample> examples) {
        List<String> texts = new ArrayList<>(examples.size() * 3);
        for (DiffusionExample example : examples) {
            texts.add(example.altText());
            texts.add(example.shortCaption());
            texts.add(example.longCaption());
        }
        return Vocabulary.build(texts, List.of(), 2);
    }
}
