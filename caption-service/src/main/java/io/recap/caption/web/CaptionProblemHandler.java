package io.recap.caption.web;

import io.recap.caption.inference.ModelNotLoadedException;
import io.recap.caption.inference.QueueFullException;
import io.recap.core.image.ImageValidationException;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure as RFC 9457 problem+json with a machine-readable {@code reason}. Spring MVC's own
 * errors (wrong content type, malformed JSON, missing part, upload too large) come through the
 * base class in the same format.
 */
@RestControllerAdvice
public class CaptionProblemHandler extends ResponseEntityExceptionHandler {

    private static final String RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler(ImageValidationException.class)
    ResponseEntity<ProblemDetail> invalidImage(ImageValidationException e) {
        HttpStatus status = switch (e.reason()) {
            case TOO_LARGE_BYTES, TOO_MANY_PIXELS -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_FORMAT -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case EMPTY -> HttpStatus.BAD_REQUEST;
            case CORRUPT, TRUNCATED -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return problem(status, "Invalid image", e.getMessage(), e.reason().name(), null);
    }

    @ExceptionHandler(InvalidCaptionRequestException.class)
    ResponseEntity<ProblemDetail> invalidRequest(InvalidCaptionRequestException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(),
                "INVALID_FIELD", null);
        response.getBody().setProperty("field", e.field());
        return response;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> invalidArgument(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), "INVALID_ARGUMENT", null);
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> saturated(QueueFullException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Saturated", e.getMessage(), "QUEUE_FULL", RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(TimeoutException.class)
    ResponseEntity<ProblemDetail> timedOut(TimeoutException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Timed out", e.getMessage(), "TIMEOUT", RETRY_AFTER_SECONDS);
    }

    @ExceptionHandler(ModelNotLoadedException.class)
    ResponseEntity<ProblemDetail> notLoaded(ModelNotLoadedException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "No model", e.getMessage(), "MODEL_NOT_LOADED", "10");
    }

    /** Adds a {@code reason} to the problems Spring MVC itself raises, derived from the status. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            org.springframework.web.context.request.WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getProperties() == null
                || !problem.getProperties().containsKey("reason"))) {
            problem.setProperty("reason", HttpStatus.valueOf(status.value()).name());
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, String reason,
            String retryAfterSeconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("reason", reason);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (retryAfterSeconds != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        }
        return builder.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
