package io.recap.ml.diffusion;

import java.util.ArrayList;
import java.util.List;

/** One image to sample: its prompt and the seeded stream its initial noise comes from. */
record NoiseRow(String prompt, long seed, int index) {

    /** The rows of several requests sampled together, request-major; image k of a request draws from (its seed, k). */
    static List<NoiseRow> of(List<SamplingRequest> requests) {
        List<NoiseRow> rows = new ArrayList<>();
        for (SamplingRequest request : requests) {
            for (int k = 0; k < request.count(); k++) {
                rows.add(new NoiseRow(request.prompt(), request.seed(), k));
            }
        }
        return rows;
    }

    /** The rows of prompts sampled with one seed, prompt-major; image k of prompt p draws from (seed, p * count + k). */
    static List<NoiseRow> of(List<String> prompts, SamplingOptions options) {
        List<NoiseRow> rows = new ArrayList<>();
        for (String prompt : prompts) {
            for (int k = 0; k < options.imagesPerPrompt(); k++) {
                rows.add(new NoiseRow(prompt == null ? "" : prompt, options.seed(), rows.size()));
            }
        }
        return rows;
    }
}
