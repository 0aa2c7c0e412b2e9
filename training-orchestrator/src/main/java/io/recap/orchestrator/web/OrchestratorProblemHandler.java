package io.recap.orchestrator.web;

import io.recap.core.model.ModelVersionExistsException;
import io.recap.ml.torchscript.TorchScriptImportException;
import io.recap.core.model.ModelIntegrityException;
import io.recap.core.model.ModelNotFoundException;
import io.recap.core.store.UnsafePathException;
import io.recap.orchestrator.catalog.CorpusNotFoundException;
import io.recap.orchestrator.catalog.ImageNotFoundException;
import io.recap.orchestrator.evaluation.EvaluationNotFoundException;
import io.recap.orchestrator.export.ExportNotFoundException;
import io.recap.orchestrator.registry.PromotionRefusedException;
import io.recap.orchestrator.ingest.IngestPublishException;
import io.recap.orchestrator.jobs.JobFinishedException;
import io.recap.orchestrator.jobs.JobNotFoundException;
import io.recap.service.web.ServiceProblemHandler;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.core.JacksonException;

/**
 * Every failure as RFC 9457 problem+json with a machine-readable {@code reason} and, for bad input, the
 * {@code field} at fault. Spring MVC's own errors, a bad argument (400 {@code INVALID_ARGUMENT}) and undecodable
 * parameters come from the platform's shared base in the same format.
 */
@RestControllerAdvice
public class OrchestratorProblemHandler extends ServiceProblemHandler {

    @ExceptionHandler(JobNotFoundException.class)
    ResponseEntity<ProblemDetail> jobNotFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such job", e.getMessage(), "JOB_NOT_FOUND", null);
    }

    @ExceptionHandler(JobFinishedException.class)
    ResponseEntity<ProblemDetail> jobFinished(JobFinishedException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONFLICT, "Job already finished", e.getMessage(),
                "JOB_FINISHED", null);
        response.getBody().setProperty("state", e.state().name());
        return response;
    }

    @ExceptionHandler(CorpusNotFoundException.class)
    ResponseEntity<ProblemDetail> corpusNotFound(CorpusNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such corpus", e.getMessage(), "CORPUS_NOT_FOUND", null);
    }

    @ExceptionHandler(ImageNotFoundException.class)
    ResponseEntity<ProblemDetail> imageNotFound(ImageNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such image", e.getMessage(), "IMAGE_NOT_FOUND", null);
    }

    @ExceptionHandler(ModelNotFoundException.class)
    ResponseEntity<ProblemDetail> modelNotFound(ModelNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such model", e.getMessage(), "MODEL_NOT_FOUND", null);
    }

    @ExceptionHandler(EvaluationNotFoundException.class)
    ResponseEntity<ProblemDetail> evaluationNotFound(EvaluationNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No evaluation", e.getMessage(), "EVALUATION_NOT_FOUND", null);
    }

    /** The stored version's files no longer match what was published: nothing may load or promote it. */
    @ExceptionHandler(ModelIntegrityException.class)
    ResponseEntity<ProblemDetail> modelIntegrity(ModelIntegrityException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Model files changed", e.getMessage(), "MODEL_INTEGRITY", null);
    }

    /** The version did not measure what the promotion policy requires; the promoted version stays. */
    @ExceptionHandler(PromotionRefusedException.class)
    ResponseEntity<ProblemDetail> promotionRefused(PromotionRefusedException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.CONFLICT, "Promotion refused", e.getMessage(),
                "PROMOTION_REFUSED", null);
        response.getBody().setProperty("metric", e.rule().metric());
        response.getBody().setProperty("minimum", e.rule().minimum());
        response.getBody().setProperty("value", e.value());
        return response;
    }

    /** An imported model that cannot be served: the file (and the tensor) to fix, and nothing published. */
    @ExceptionHandler(TorchScriptImportException.class)
    ResponseEntity<ProblemDetail> importRefused(TorchScriptImportException e) {
        ResponseEntity<ProblemDetail> response = problem(HttpStatus.UNPROCESSABLE_ENTITY, "Model refused",
                e.getMessage(), "IMPORT_REFUSED", null);
        response.getBody().setProperty("file", e.file());
        return response;
    }

    @ExceptionHandler(ModelVersionExistsException.class)
    ResponseEntity<ProblemDetail> versionExists(ModelVersionExistsException e) {
        return problem(HttpStatus.CONFLICT, "Version exists", e.getMessage(), "MODEL_VERSION_EXISTS", null);
    }

    @ExceptionHandler(ExportNotFoundException.class)
    ResponseEntity<ProblemDetail> exportNotFound(ExportNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "No such export", e.getMessage(), "EXPORT_NOT_FOUND", null);
    }

    /** The broker did not take the batches: try again later (publishing twice is harmless). */
    @ExceptionHandler(IngestPublishException.class)
    ResponseEntity<ProblemDetail> ingestNotPublished(IngestPublishException e) {
        ResponseEntity<ProblemDetail> problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Ingest not published",
                e.getMessage(), "BROKER_UNAVAILABLE", null);
        return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, "10").body(problem.getBody());
    }

    @ExceptionHandler(UnsafePathException.class)
    ResponseEntity<ProblemDetail> unsafePath(UnsafePathException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), "UNSAFE_PATH", null);
    }

    /**
     * Malformed JSON or a wrongly typed field: name the JSON path where Jackson knows it. A field refused while the
     * body was bound (a job's spec) is not malformed, and is answered as the base answers it.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> refused = refusedWhileReading(ex);
        if (refused != null) {
            return refused;
        }
        String field = null;
        String detail = "request body is not valid JSON for this endpoint";
        if (ex.getCause() instanceof JacksonException jackson) {
            field = jackson.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            detail = jackson instanceof tools.jackson.core.exc.StreamReadException
                    ? "request body is not valid JSON: " + jackson.getOriginalMessage()
                    : (field.isEmpty() ? "" : field + ": ") + jackson.getOriginalMessage();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Malformed request body");
        problem.setProperty("reason", "MALFORMED_BODY");
        if (field != null && !field.isEmpty()) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, String reason,
            String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty("reason", reason);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
