package io.recap.generation.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /generate} body. Only {@code prompt} is required. The limits that come from configuration (prompt
 * length, steps, count) are checked by {@link GenerateRequestValidator}.
 *
 * @param prompt what to draw; over 77 tokens it is truncated (and the answer says so)
 * @param seed same seed, same images; random when absent
 * @param steps DDIM steps, 1..maxSteps
 * @param guidanceScale classifier-free guidance weight, finite and ≥ 0 (1 = conditional only)
 * @param count images, 1..maxCount
 */
public record GenerateRequestBody(
        @NotNull(message = "prompt is required") @Pattern(regexp = "(?s).*\\S.*", message = "prompt must not be blank")
        String prompt, Long seed, Integer steps, Float guidanceScale, Integer count) {
}
