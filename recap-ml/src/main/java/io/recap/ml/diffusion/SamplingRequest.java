package io.recap.ml.diffusion;

/**
 * One request of a batch sampled together ({@link DiffusionModel#sample(java.util.List, int, float)}): its own
 * prompt, seed and image count.
 */
public record SamplingRequest(String prompt, long seed, int count) {

    public SamplingRequest {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive but was " + count);
        }
        prompt = prompt == null ? "" : prompt;
    }
}
