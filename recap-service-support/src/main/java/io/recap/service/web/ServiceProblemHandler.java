package io.recap.service.web;

import io.recap.core.image.DecodeBudgetExhaustedException;
import io.recap.service.model.ModelNotLoadedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Base of each service's {@code @RestControllerAdvice}: Spring MVC's own errors (wrong content
 * type, malformed JSON, missing part, upload too large) come out as problem+json with a
 * {@code reason} derived from the status; bad arguments are 400; no model is 503.
 */
public abstract class ServiceProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(IllegalArgumentException.class)
    protected ResponseEntity<ProblemDetail> invalidArgument(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), "INVALID_ARGUMENT");
    }

    /** Too many large images being decoded at once: transient, like a full queue. */
    @ExceptionHandler(DecodeBudgetExhaustedException.class)
    protected ResponseEntity<ProblemDetail> decodeBudgetExhausted(DecodeBudgetExhaustedException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Saturated", e.getMessage(), "DECODE_BUDGET_EXHAUSTED", 1);
    }

    @ExceptionHandler(ModelNotLoadedException.class)
    protected ResponseEntity<ProblemDetail> notLoaded(ModelNotLoadedException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "No model", e.getMessage(), "MODEL_NOT_LOADED", 10);
    }

    /** A body that turned out larger than the limit while it streamed in is 413, not a parse error. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return new ResponseEntity<>(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                        tooLarge.getMessage(), "TOO_LARGE_BYTES").getBody(), HttpStatus.CONTENT_TOO_LARGE);
            }
        }
        return super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("reason"))) {
            problem.setProperty("reason", HttpStatus.valueOf(status.value()).name());
        }
        return super.createResponseEntity(body, headers, status, request);
    }
}
