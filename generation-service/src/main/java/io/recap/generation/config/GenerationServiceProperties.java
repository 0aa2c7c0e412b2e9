package io.recap.generation.config;

import io.recap.core.batch.BatchSettings;
import io.recap.ml.diffusion.SamplingOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the generation service ({@code recap.generation.*}).
 *
 * @param modelStore root of the model store the text-to-image model is loaded from
 * @param model an explicit model ({@code text-to-image/name/version}); empty means the promoted one
 * @param modelPollInterval how often the promoted pointer is re-read
 * @param maxWaiting requests allowed to wait while a batch samples (at least 1); beyond that 503 + Retry-After
 * @param requestTimeout longest wait in the queue plus sampling; sampling still running then is stopped before its
 *     next step and the request answered 503
 * @param maxBatchSize most images sampled in one batch, summed over its requests (one request asking for more
 *     samples alone)
 * @param maxBatchDelay how long the first request of a batch waits for company (not at all when it came alone:
 *     nothing else queued or in flight)
 * @param maxFillWait the most a batch may wait for as many requests as recent batches held (clients in a closed loop
 *     come back together); the wait is also at most a quarter of the previous batch's sampling time
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
        @DefaultValue("8") int maxWaiting,
        @DefaultValue("120s") Duration requestTimeout,
        @DefaultValue("16") int maxBatchSize,
        @DefaultValue("10ms") Duration maxBatchDelay,
        @DefaultValue("250ms") Duration maxFillWait,
        Integer defaultSteps,
        Float defaultGuidanceScale,
        @DefaultValue("200") int maxSteps,
        @DefaultValue("8") int maxCount,
        @DefaultValue("2000") int maxPromptChars) {

    public GenerationServiceProperties {
        new BatchSettings(maxBatchSize, maxBatchDelay, maxFillWait, maxWaiting); // checks them
        defaultSteps = defaultSteps == null ? SamplingOptions.DEFAULT_STEPS : defaultSteps;
        defaultGuidanceScale = defaultGuidanceScale == null ? SamplingOptions.DEFAULT_GUIDANCE : defaultGuidanceScale;
    }

    /** How the generator batches requests: images are the unit, {@code maxWaiting} the queue. */
    public BatchSettings batching() {
        return new BatchSettings(maxBatchSize, maxBatchDelay, maxFillWait, maxWaiting);
    }
}
