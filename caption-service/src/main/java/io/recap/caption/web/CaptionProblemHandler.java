package io.recap.caption.web;

import io.recap.core.batch.QueueFullException;
import io.recap.core.image.ImageValidationException;
import io.recap.service.web.Problems;
import io.recap.service.web.ServiceProblemHandler;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The caption service's failures as problem+json with a {@code reason}; the shared ones come from the base. */
@RestControllerAdvice
public class CaptionProblemHandler extends ServiceProblemHandler {

    private static final int RETRY_AFTER_SECONDS = 1;

    @ExceptionHandler(ImageValidationException.class)
    ResponseEntity<ProblemDetail> invalidImage(ImageValidationException e) {
        HttpStatus status = switch (e.reason()) {
            case TOO_LARGE_BYTES, TOO_MANY_PIXELS -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case EMPTY -> HttpStatus.BAD_REQUEST;
            case CORRUPT, TRUNCATED -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return Problems.of(status, "Invalid image", e.getMessage(), e.reason().name());
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> saturated(QueueFullException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Saturated", e.getMessage(), "QUEUE_FULL", RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(TimeoutException.class)
    ResponseEntity<ProblemDetail> timedOut(TimeoutException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Timed out", e.getMessage(), "TIMEOUT", RETRY_AFTER_SECONDS);
    }
}
