package io.recap.orchestrator.jobs;

import io.recap.core.domain.JobKind;
import io.recap.core.json.Json;
import io.recap.service.web.InvalidFieldException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Binds the {@code spec} object of a job to the {@link JobSpec} record its kind names, with the platform's one mapper
 * ({@link Json#mapper()}), for {@code POST /jobs} and {@code RECAP_JOB_SPEC} alike. The records' constructors hold
 * the rules; whatever is refused comes out as an {@link InvalidFieldException} naming {@code spec.<field>}.
 *
 * <p>Unknown fields are refused (the mapper tolerates them for messages, but a typo in a spec would otherwise be a
 * job that silently trains on defaults). Model references bind as {@code "captioner/name/version"} or
 * {@code {"kind":"captioner","name":..,"version":..}}; a caption mix as a preset ({@code mix}, {@code short},
 * {@code long}, {@code alt}), as {@code "short=0.5,long=0.5"} or as {@code {"shortWeight":..}}.
 */
public final class JobSpecs {

    private JobSpecs() {
    }

    /** The kind a request or {@code RECAP_JOB_KIND} names, in any case, with {@code -} for {@code _}. */
    public static JobKind kind(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidFieldException("kind", "kind is required (one of " + List.of(JobKind.values()) + ")");
        }
        try {
            return JobKind.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("kind", "unknown kind '" + text + "' (one of "
                    + List.of(JobKind.values()) + ")");
        }
    }

    /** The spec of {@code kind}; {@code spec} is the JSON object of its fields (absent or JSON null is refused). */
    public static JobSpec bind(JobKind kind, JsonNode spec) {
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            throw new InvalidFieldException("spec", "spec is required for " + kind);
        }
        if (!spec.isObject()) {
            throw new InvalidFieldException("spec", "spec must be a JSON object");
        }
        List<String> allowed = fields(kind);
        for (String name : spec.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new InvalidFieldException(SpecFields.path(name), "unknown field " + SpecFields.path(name)
                        + " for " + kind + " (allowed: " + allowed + ")");
            }
        }
        try {
            return Json.mapper().treeToValue(spec, JobSpec.typeOf(kind));
        } catch (JacksonException e) {
            throw refusal(e);
        }
    }

    /** The fields a spec of {@code kind} may have: its record's components, sorted. */
    static List<String> fields(JobKind kind) {
        return Arrays.stream(JobSpec.typeOf(kind).getRecordComponents()).map(RecordComponent::getName).sorted()
                .toList();
    }

    /**
     * A record's own refusal as it is; otherwise Jackson's (a wrong JSON type, a value a creator refused) as the
     * top-level spec field it concerns, with the creator's message where there is one. Jackson's own wording names
     * Java types, so the wrong shapes a client meets (an object where text belongs, text where a list belongs, a null
     * in a list) are said in the client's terms.
     */
    private static InvalidFieldException refusal(JacksonException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "invalid value");
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof InvalidFieldException invalid) {
                return invalid;
            }
            if (!(cause instanceof JacksonException) && cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        String field = e.getPath().stream().map(JacksonException.Reference::getPropertyName).filter(Objects::nonNull)
                .findFirst().map(SpecFields::path).orElse("spec");
        if (e instanceof InvalidNullException) {
            return new InvalidFieldException(field, field + ": null is not allowed here");
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (mismatch.getTargetType() == String.class) {
                return new InvalidFieldException(field, field + " must be a string");
            }
            if (Collection.class.isAssignableFrom(mismatch.getTargetType())) {
                return new InvalidFieldException(field, field + " must be a list");
            }
        }
        return new InvalidFieldException(field, message.startsWith(field) ? message : field + ": " + message);
    }
}
