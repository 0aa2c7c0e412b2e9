package io.recap.service.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 problem+json responses that always carry a machine-readable {@code reason}. */
public final class Problems {

    private Problems() {
    }

    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String title, String detail, String reason) {
        return of(status, title, detail, reason, null);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when not null (503 answers) */
    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String title, String detail, String reason,
            Integer retryAfterSeconds) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("reason", reason);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryAfterSeconds != null) {
            builder.header(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        }
        return builder.body(problem);
    }
}
