package io.recap.service.web;

import io.recap.core.image.DecodeBudgetExhaustedException;
import io.recap.service.model.ModelNotLoadedException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Base of each service's {@code @RestControllerAdvice}: Spring MVC's own errors (wrong content
 * type, malformed JSON, missing part, upload too large) come out as problem+json with a
 * {@code reason} derived from the status; a field the service refuses ({@link InvalidFieldException}) or that breaks a
 * Bean Validation constraint of a {@code @Valid} body or a constrained parameter is 400 naming the field; a malformed multipart body, undecodable parameters and bad arguments are
 * 400; no model is 503.
 */
public abstract class ServiceProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(IllegalArgumentException.class)
    protected ResponseEntity<ProblemDetail> invalidArgument(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), "INVALID_ARGUMENT");
    }

    /** Every service's field errors come out alike: the field named, so a client can point at it. */
    @ExceptionHandler(InvalidFieldException.class)
    protected ResponseEntity<ProblemDetail> invalidField(InvalidFieldException e) {
        ResponseEntity<ProblemDetail> response = Problems.of(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(),
                e.reason());
        if (e.field() != null) {
            response.getBody().setProperty("field", e.field());
        }
        return response;
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

    /**
     * A {@code @Valid} request body that breaks a constraint of its record: answered like {@link InvalidFieldException},
     * naming one field. Bean Validation reports violations in no set order, so the one named is the first in the
     * record's declaration order, and the same request always gets the same answer.
     */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors();
        if (errors.isEmpty()) {
            return super.handleMethodArgumentNotValid(e, headers, status, request);
        }
        List<String> order = declarationOrder(e.getBindingResult().getTarget());
        FieldError first = errors.stream().min(Comparator.comparingInt((FieldError error) -> {
            int index = order.indexOf(error.getField());
            return index < 0 ? Integer.MAX_VALUE : index;
        }).thenComparing(FieldError::getField)).orElseThrow();
        return asObject(invalidField(new InvalidFieldException(first.getField(), first.getDefaultMessage())));
    }

    /**
     * A constrained {@code @RequestParam} or {@code @PathVariable} (e.g. {@code @Min(0) int page}) out of bounds:
     * the parameter is the field.
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return e.getParameterValidationResults().stream()
                .filter(result -> !result.getResolvableErrors().isEmpty())
                .min(Comparator.comparingInt(result -> result.getMethodParameter().getParameterIndex()))
                .map(result -> asObject(invalidField(new InvalidFieldException(parameterName(result),
                        result.getResolvableErrors().get(0).getDefaultMessage()))))
                .orElseGet(() -> super.handleHandlerMethodValidationException(e, headers, status, request));
    }

    private static String parameterName(ParameterValidationResult result) {
        RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
        if (param != null && !param.name().isEmpty()) {
            return param.name();
        }
        return result.getMethodParameter().getParameterName();
    }

    private static List<String> declarationOrder(Object target) {
        RecordComponent[] components = target == null ? null : target.getClass().getRecordComponents();
        return components == null ? List.of() : Arrays.stream(components).map(RecordComponent::getName).toList();
    }

    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return new ResponseEntity<>(response.getBody(), response.getHeaders(), response.getStatusCode());
    }

    /**
     * A body that turned out larger than the limit while it streamed in is 413, not a parse error; a field that a
     * request record's creator refused while the body was read is answered as that refusal.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyTooLargeException tooLarge = tooLarge(e);
        if (tooLarge != null) {
            return new ResponseEntity<>(tooLarge(tooLarge).getBody(), HttpStatus.CONTENT_TOO_LARGE);
        }
        ResponseEntity<Object> refused = refusedWhileReading(e);
        return refused != null ? refused : super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    /**
     * The {@link InvalidFieldException} a request record's creator threw while Jackson read the body (a job's spec is
     * bound there, once its kind is known), answered like one thrown by a controller; null where there is none, and
     * the body is malformed instead.
     */
    protected ResponseEntity<Object> refusedWhileReading(HttpMessageNotReadableException e) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof InvalidFieldException invalid) {
                return asObject(invalidField(invalid));
            }
        }
        return null;
    }

    /**
     * A multipart body the parser cannot read (no boundary, cut off before its closing boundary) is the client's
     * mistake, not the server's: 400, or 413 where the body outgrew the limit while it streamed. The base class
     * answers only a multipart body over the container's own size limit; anything else would be a 500.
     */
    @ExceptionHandler(MultipartException.class)
    protected ResponseEntity<ProblemDetail> malformedMultipart(MultipartException e) {
        RequestBodyTooLargeException tooLarge = tooLarge(e);
        if (tooLarge != null) {
            return tooLarge(tooLarge);
        }
        Throwable cause = e.getMostSpecificCause();
        return Problems.of(HttpStatus.BAD_REQUEST, "Malformed multipart request", e.getMessage()
                + (cause == e || cause.getMessage() == null ? "" : ": " + cause.getMessage()), "MALFORMED_MULTIPART");
    }

    /**
     * Tomcat decodes query and form parameters when the controller first asks for one, and refuses the lot when one
     * is not valid in the request's charset (invalid UTF-8) or there are too many: the request's fault, so 400, not
     * an exception escaping to the container.
     */
    @ExceptionHandler(InvalidParameterException.class)
    protected ResponseEntity<ProblemDetail> undecodableParameters(InvalidParameterException e) {
        HttpStatus status = HttpStatus.resolve(e.getErrorCode());
        return Problems.of(status != null && status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST,
                "Invalid request parameters", e.getMessage(), "INVALID_PARAMETERS");
    }

    private static RequestBodyTooLargeException tooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    private static ResponseEntity<ProblemDetail> tooLarge(RequestBodyTooLargeException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large", e.getMessage(), "TOO_LARGE_BYTES");
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
