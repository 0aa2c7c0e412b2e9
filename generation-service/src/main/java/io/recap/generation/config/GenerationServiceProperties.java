package io.recap.generation.config;

import java.nio.file.Path;
import java.time.Duration;
import io.recap.ml.diffusion.SamplingOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the generation service ({@code recap.generation.*}).
 *
 * @param modelStore root of the model store the text-to-image model is loaded from
 * @param model an explicit model ({@code text-to-image/name/version}); empty means the promoted one
 * @param modelPollInterval how often the promoted pointer is re-read
 * @param maxConcurrent requests sampling at once (sampling already uses every core)
 * @param maxWaiting requests allowed to wait for a slot; beyond that 503 + Retry-After
 * @param requestTimeout longest wait for a slot plus sampling; sampling still running then is stopped before its
 *     next step and the request answered 503
 * @param defaultSteps DDIM steps when the request names none (unset: the sampler's default)
 * @param defaultGuidanceScale guidance when the request names none (unset: the sampler's measured default)
 * @param maxSteps most DDIM steps a request may ask for
 * @param maxCount most images per request
 * @param maxPromptChars longer prompts are refused; shorter ones over 77 tokens are truncated
 */
@ConfigurationProperties("recap.generation")
public record GenerationServiceProperties(
        @DefaultValue("recap-data/store") Path modelStore,
        @DefaultValue("") String model,
        @DefaultValue("10s") Duration modelPollInterval,
        @DefaultValue("1") int maxConcurrent,
        @DefaultValue("8") int maxWaiting,
        @DefaultValue("120s") Duration requestTimeout,
        Integer defaultSteps,
        Float defaultGuidanceScale,
        @DefaultValue("200") int maxSteps,
        @DefaultValue("8") int maxCount,
        @DefaultValue("2000") int maxPromptChars) {

    public GenerationServiceProperties {
        defaultSteps = defaultSteps == null ? SamplingOptions.DEFAULT_STEPS : defaultSteps;
        defaultGuidanceScale = defaultGuidanceScale == null ? SamplingOptions.DEFAULT_GUIDANCE : defaultGuidanceScale;
    }
}
