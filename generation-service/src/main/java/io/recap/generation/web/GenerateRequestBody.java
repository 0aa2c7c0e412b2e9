package io.recap.generation.web;

/**
 * {@code POST /generate} body. Only {@code prompt} is required.
 *
 * @param prompt what to draw; over 77 tokens it is truncated (and the answer says so)
 * @param seed same seed, same images; random when absent
 * @param steps DDIM steps, 1..maxSteps
 * @param guidanceScale classifier-free guidance weight, finite and ≥ 0 (1 = conditional only)
 * @param count images, 1..maxCount
 */
public record GenerateRequestBody(String prompt, Long seed, Integer steps, Float guidanceScale, Integer count) {
}
