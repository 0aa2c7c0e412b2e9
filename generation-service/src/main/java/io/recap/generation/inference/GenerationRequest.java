package io.recap.generation.inference;

/** A validated generation request; every field is set (defaults applied). */
public record GenerationRequest(String prompt, long seed, int steps, float guidanceScale, int count) {
}
