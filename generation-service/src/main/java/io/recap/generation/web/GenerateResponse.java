package io.recap.generation.web;

import java.util.List;

/** JSON answer of {@code POST /generate}: base64 PNGs and what made them. */
public record GenerateResponse(List<String> imagesPngBase64, long seed, Model model, Prompt prompt, Timings timings) {

    public record Model(String name, String version) {
    }

    /** @param tokens the prompt's length in tokens before truncation; @param truncated whether it was cut to 77 */
    public record Prompt(int tokens, boolean truncated) {
    }

    public record Timings(long totalMs, long waitMs, long samplingMs, double stepsPerSecond) {
    }
}
