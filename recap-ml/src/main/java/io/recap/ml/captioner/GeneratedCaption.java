package io.recap.ml.captioner;

/**
 * A decoded caption.
 *
 * @param text the caption text
 * @param tokens the generated ids after the prompt, {@code <eos>} included
 * @param logProbability sum of the log-probabilities of the generated tokens
 * @param score the length-normalised log-probability the decoder ranked by
 */
public record GeneratedCaption(String text, int[] tokens, float logProbability, float score) {

    @Override
    public String toString() {
        return String.format("%s (score %.3f)", text, score);
    }
}
