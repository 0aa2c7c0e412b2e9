package io.recap.orchestrator.trainer;

import io.recap.core.domain.JobKind;
import io.recap.core.json.Json;
import io.recap.core.messages.Topics;
import io.recap.orchestrator.executor.ExecutionRequest;
import io.recap.orchestrator.jobs.JobSpec;
import io.recap.orchestrator.jobs.JobSpecs;
import io.recap.service.web.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attempt as {@code KubernetesJobFactory} hands it to the trainer container, parsed and checked. Paths are
 * absolute paths on the trainer's mount of the store; the store keys the orchestrator records are relative to
 * {@code RECAP_STORE}.
 *
 * @param jobId {@code RECAP_JOB_ID}
 * @param spec {@code RECAP_JOB_SPEC} bound for {@code RECAP_JOB_KIND} by {@link JobSpecs}, as a request's spec is
 * @param attempt {@code RECAP_JOB_ATTEMPT}
 * @param params {@code RECAP_JOB_PARAMS} (a JSON object; values as text)
 * @param store {@code RECAP_STORE}
 * @param checkpointDirectory {@code RECAP_CHECKPOINT_DIR}, inside the store
 * @param resumeStep {@code RECAP_RESUME_STEP}, or null
 * @param resumeCheckpoint {@code RECAP_RESUME_CHECKPOINT}, inside the store; present exactly when resumeStep is
 * @param snapshot {@code RECAP_SNAPSHOT}, inside the store, or null
 * @param eventsTopic {@code RECAP_EVENTS_TOPIC} (default {@code recap.training.events})
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param imageRoots {@code RECAP_IMAGE_ROOTS} (comma-separated) where images and corpora may be read from; the
 *        store is always one
 */
public record TrainerEnvironment(String jobId, JobSpec spec, int attempt, Map<String, String> params, Path store,
        Path checkpointDirectory, Long resumeStep, Path resumeCheckpoint, Path snapshot, String eventsTopic,
        String bootstrapServers, List<Path> imageRoots) {

    /** A missing or malformed variable; the message names it. */
    public static final class InvalidEnvironmentException extends RuntimeException {

        private final String variable;

        InvalidEnvironmentException(String variable, String message) {
            super(variable + ": " + message);
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }

    public JobKind kind() {
        return spec.kind();
    }

    /** Parses the variables; throws {@link InvalidEnvironmentException} naming the first bad one. */
    public static TrainerEnvironment parse(Map<String, String> env) {
        String jobId = required(env, "RECAP_JOB_ID");
        if (!jobId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new InvalidEnvironmentException("RECAP_JOB_ID", "not a job id: '" + jobId + "'");
        }
        String bootstrap = required(env, "KAFKA_BOOTSTRAP_SERVERS");
        JobKind kind;
        try {
            kind = JobSpecs.kind(required(env, "RECAP_JOB_KIND"));
        } catch (InvalidFieldException e) {
            throw new InvalidEnvironmentException("RECAP_JOB_KIND", e.getMessage());
        }
        int attempt = integer(env, "RECAP_JOB_ATTEMPT");
        if (attempt < 1) {
            throw new InvalidEnvironmentException("RECAP_JOB_ATTEMPT", "must be >= 1 but was " + attempt);
        }
        JobSpec spec;
        try {
            spec = JobSpecs.bind(kind, Json.mapper().valueToTree(jsonObject(env, "RECAP_JOB_SPEC",
                    required(env, "RECAP_JOB_SPEC"))));
        } catch (InvalidFieldException e) {
            throw new InvalidEnvironmentException("RECAP_JOB_SPEC", e.getMessage());
        }
        Map<String, String> params = new LinkedHashMap<>();
        String paramsJson = env.get("RECAP_JOB_PARAMS");
        if (paramsJson != null && !paramsJson.isBlank()) {
            jsonObject(env, "RECAP_JOB_PARAMS", paramsJson).forEach((key, value) -> {
                if (value == null || value instanceof Map || value instanceof java.util.Collection) {
                    throw new InvalidEnvironmentException("RECAP_JOB_PARAMS", "params." + key
                            + " must be a string, number or boolean");
                }
                params.put(key, value.toString());
            });
        }
        Path store = absolute(env, "RECAP_STORE");
        Path checkpoints = inStore(env, "RECAP_CHECKPOINT_DIR", store);
        Long resumeStep = null;
        Path resumeCheckpoint = null;
        if (present(env, "RECAP_RESUME_STEP") || present(env, "RECAP_RESUME_CHECKPOINT")) {
            resumeStep = (long) integer(env, "RECAP_RESUME_STEP");
            if (resumeStep < 0) {
                throw new InvalidEnvironmentException("RECAP_RESUME_STEP", "must be >= 0 but was " + resumeStep);
            }
            resumeCheckpoint = inStore(env, "RECAP_RESUME_CHECKPOINT", store);
        }
        Path snapshot = present(env, "RECAP_SNAPSHOT") ? inStore(env, "RECAP_SNAPSHOT", store) : null;
        if (kind == JobKind.T2I_FINETUNE && snapshot == null) {
            throw new InvalidEnvironmentException("RECAP_SNAPSHOT", "required for T2I_FINETUNE");
        }
        String topic = present(env, "RECAP_EVENTS_TOPIC") ? env.get("RECAP_EVENTS_TOPIC").trim() : Topics.TRAINING_EVENTS;
        List<Path> roots = new ArrayList<>();
        if (present(env, "RECAP_IMAGE_ROOTS")) {
            for (String root : env.get("RECAP_IMAGE_ROOTS").split(",")) {
                if (!root.isBlank()) {
                    Path path = Path.of(root.trim());
                    if (!path.isAbsolute()) {
                        throw new InvalidEnvironmentException("RECAP_IMAGE_ROOTS", "'" + root.trim()
                                + "' is not an absolute path");
                    }
                    roots.add(path.normalize());
                }
            }
        }
        if (roots.isEmpty()) {
            roots.add(store);
        }
        return new TrainerEnvironment(jobId, spec, attempt, Map.copyOf(params), store, checkpoints, resumeStep,
                resumeCheckpoint, snapshot, topic, bootstrap, List.copyOf(roots));
    }

    /**
     * The variables that hand {@code request} to a trainer (the inverse of {@link #parse}): what
     * {@code KubernetesJobFactory} puts in a pod and the process executor in a child JVM's environment.
     *
     * @param store the store's root as the trainer sees it (absolute)
     * @param bootstrapServers the brokers the trainer publishes to; left out when blank (set elsewhere)
     */
    public static Map<String, String> variables(ExecutionRequest request, String store, String bootstrapServers) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RECAP_JOB_ID", request.jobId());
        env.put("RECAP_JOB_KIND", request.kind().name());
        env.put("RECAP_JOB_ATTEMPT", Integer.toString(request.attempt()));
        env.put("RECAP_JOB_SPEC", new String(Json.write(request.spec()), StandardCharsets.UTF_8));
        env.put("RECAP_JOB_PARAMS", new String(Json.write(request.params()), StandardCharsets.UTF_8));
        env.put("RECAP_STORE", store);
        env.put("RECAP_CHECKPOINT_DIR", store + "/" + request.checkpointKey());
        if (request.resumeStep() != null) {
            env.put("RECAP_RESUME_STEP", Long.toString(request.resumeStep()));
            env.put("RECAP_RESUME_CHECKPOINT", store + "/" + request.resumeCheckpointKey());
        }
        if (request.snapshotKey() != null) {
            env.put("RECAP_SNAPSHOT", store + "/" + request.snapshotKey());
        }
        env.put("RECAP_EVENTS_TOPIC", Topics.TRAINING_EVENTS);
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }
        return env;
    }

    /** {@code path} as a store key ({@code /}-separated, relative to the store). */
    public String storeKey(Path path) {
        return store.relativize(path.toAbsolutePath().normalize()).toString()
                .replace(path.getFileSystem().getSeparator(), "/");
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static String required(Map<String, String> env, String name) {
        if (!present(env, name)) {
            throw new InvalidEnvironmentException(name, "is required");
        }
        return env.get(name).trim();
    }

    private static int integer(Map<String, String> env, String name) {
        String text = required(env, name);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidEnvironmentException(name, "not an integer: '" + text + "'");
        }
    }

    private static Path absolute(Map<String, String> env, String name) {
        Path path = Path.of(required(env, name));
        if (!path.isAbsolute()) {
            throw new InvalidEnvironmentException(name, "'" + path + "' is not an absolute path");
        }
        return path.normalize();
    }

    private static Path inStore(Map<String, String> env, String name, Path store) {
        Path path = absolute(env, name);
        if (!path.startsWith(store) || path.equals(store)) {
            throw new InvalidEnvironmentException(name, "'" + path + "' is not inside RECAP_STORE " + store);
        }
        return path;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(Map<String, String> env, String name, String json) {
        Object value;
        try {
            value = Json.mapper().readValue(json, Object.class);
        } catch (RuntimeException e) {
            throw new InvalidEnvironmentException(name, "not valid JSON: " + e.getMessage());
        }
        if (!(value instanceof Map)) {
            throw new InvalidEnvironmentException(name, "must be a JSON object");
        }
        return (Map<String, Object>) value;
    }
}
