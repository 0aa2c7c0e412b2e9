package io.recap.generation.web;

import io.recap.generation.inference.SamplingDeadlineException;
import io.recap.generation.inference.SaturatedException;
import io.recap.service.web.Problems;
import io.recap.service.web.ServiceProblemHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The generation service's failures as problem+json with a {@code reason}; the shared ones come from the base. */
@RestControllerAdvice
public class GenerationProblemHandler extends ServiceProblemHandler {

    @ExceptionHandler(SaturatedException.class)
    ResponseEntity<ProblemDetail> saturated(SaturatedException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Saturated", e.getMessage(), "SATURATED", 5);
    }

    /** Stopped at its deadline: the same request would likely run as long again, so no Retry-After. */
    @ExceptionHandler(SamplingDeadlineException.class)
    ResponseEntity<ProblemDetail> deadline(SamplingDeadlineException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Deadline exceeded", e.getMessage(), "SAMPLING_DEADLINE");
    }
}
