package io.recap.generation.web;

import io.recap.generation.config.GenerationServiceProperties;
import io.recap.generation.inference.GenerationRequest;
import io.recap.service.web.InvalidFieldException;
import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/**
 * Turns a request body, already checked against its record's constraints (a prompt present and not blank), into a
 * {@link GenerationRequest}: applies the defaults and the configured limits, naming the first field beyond them.
 */
@Component
class GenerateRequestValidator {

    private final GenerationServiceProperties limits;
    private final SecureRandom seeds = new SecureRandom();

    GenerateRequestValidator(GenerationServiceProperties limits) {
        this.limits = limits;
    }

    GenerationRequest validate(GenerateRequestBody body) {
        if (body.prompt().length() > limits.maxPromptChars()) {
            throw new InvalidFieldException("prompt", "prompt has " + body.prompt().length()
                    + " characters; at most " + limits.maxPromptChars() + " are accepted");
        }
        int steps = body.steps() == null ? limits.defaultSteps() : body.steps();
        if (steps < 1 || steps > limits.maxSteps()) {
            throw new InvalidFieldException("steps", "steps must be 1.." + limits.maxSteps() + " but was " + steps);
        }
        int count = body.count() == null ? 1 : body.count();
        if (count < 1 || count > limits.maxCount()) {
            throw new InvalidFieldException("count", "count must be 1.." + limits.maxCount() + " but was " + count);
        }
        float guidance = body.guidanceScale() == null ? limits.defaultGuidanceScale() : body.guidanceScale();
        if (!Float.isFinite(guidance) || guidance < 0) {
            throw new InvalidFieldException("guidanceScale",
                    "guidanceScale must be a finite number >= 0 but was " + guidance);
        }
        long seed = body.seed() == null ? seeds.nextLong() & Long.MAX_VALUE : body.seed();
        return new GenerationRequest(body.prompt(), seed, steps, guidance, count);
    }
}
