package io.recap.ml.captioner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.recap.ml.image.ImageTensors;
import io.recap.ml.text.CaptionTokenizer;
import io.recap.ml.text.Vocabulary;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors for one teacher-forced step: images, decoder inputs (the sequence without its last
 * token) and targets (the sequence shifted left by one). Targets inside the prompt, i.e. the
 * style token the caller always supplies, and padding are set to {@code <pad>}, which the
 * loss ignores.
 */
record TeacherForcingBatch(NDArray images, NDArray inputs, NDArray targets) {

    static TeacherForcingBatch of(
            NDManager manager, List<CaptionExample> examples, CaptionTokenizer tokenizer, int imageSize) {
        List<int[]> inputs = new ArrayList<>(examples.size());
        List<int[]> targets = new ArrayList<>(examples.size());
        List<BufferedImage> images = new ArrayList<>(examples.size());
        int length = 0;
        for (CaptionExample example : examples) {
            int[] sequence = tokenizer.encode(example.style(), example.caption());
            int promptLength = tokenizer.prompt(example.style()).length;
            int[] input = java.util.Arrays.copyOf(sequence, sequence.length - 1);
            int[] target = java.util.Arrays.copyOfRange(sequence, 1, sequence.length);
            for (int i = 0; i < promptLength - 1; i++) {
                target[i] = Vocabulary.PAD_ID;
            }
            inputs.add(input);
            targets.add(target);
            images.add(example.image());
            length = Math.max(length, input.length);
        }
        Shape shape = new Shape(examples.size(), length);
        return new TeacherForcingBatch(
                ImageTensors.toTensor(manager, images, imageSize),
                manager.create(CaptionTokenizer.padBatch(inputs, length), shape),
                manager.create(CaptionTokenizer.padBatch(targets, length), shape));
    }
}
